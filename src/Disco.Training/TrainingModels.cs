using Disco.Core;
using Disco.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Disco.Training;

/// <summary>
/// Models for training: loading with device placement and the dropout override, saving and
/// restoring, for any architecture Disco.Modeling loads (BERT, DistilBERT).
/// </summary>
public static class TrainingModels
{
    /// <summary>Resolves <c>cpu</c> or <c>cuda</c> (optionally <c>cuda:N</c>), failing clearly when CUDA is absent.</summary>
    public static Device ResolveDevice(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) && !cuda.is_available())
            throw new DiscoException($"device '{name}' requested but CUDA is not available in this build (TorchSharp-cpu); use cpu");
        try
        {
            return torch.device(name);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new DiscoException($"unknown device '{name}' (use cpu or cuda)", e);
        }
    }

    /// <summary>
    /// Loads an HF checkpoint; when <paramref name="dropout"/> differs from the checkpoint's
    /// hidden/attention dropout, rebuilds the model with that dropout and copies the weights over
    /// (HuggingFace training applies config dropout the same way). Missing or unexpected weights are
    /// reported to <paramref name="warnings"/> (null: nowhere).
    /// </summary>
    public static MaskedLanguageModel Load(string modelDir, double? dropout, Device device, TextWriter? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(modelDir);
        if (!Directory.Exists(modelDir))
            throw new DiscoException($"{modelDir}: model directory not found");
        var model = HfCheckpoint.Load(modelDir, out _, warnings);
        if (dropout is { } p && (p != model.Config.HiddenDropoutProb || p != model.Config.AttentionProbsDropoutProb))
        {
            var rebuilt = MaskedLmArchitectures.Create(model.Config.WithDropout(p));
            using (no_grad())
                rebuilt.load_state_dict(model.state_dict());
            model.Dispose();
            model = rebuilt;
        }
        model.to(device);
        return model;
    }

    /// <summary>Writes <paramref name="model"/> in HuggingFace layout with the tokenizer files of <paramref name="sourceDir"/>.</summary>
    public static void Save(MaskedLanguageModel model, string modelDir, string sourceDir) => HfCheckpoint.Save(model, modelDir, sourceDir);

    /// <summary>Copies the weights saved in <paramref name="savedDir"/> into <paramref name="model"/> (same architecture).</summary>
    public static void Restore(MaskedLanguageModel model, string savedDir)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var saved = HfCheckpoint.Load(savedDir, out var report, null);
        if (report.Warnings.Count > 0)
            throw new DiscoException($"{savedDir}: not a checkpoint of this model ({report.Warnings[0]})");
        using (no_grad())
            model.load_state_dict(saved.state_dict());
    }
}

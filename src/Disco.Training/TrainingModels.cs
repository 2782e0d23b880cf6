using Disco.Core;
using Disco.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Disco.Training;

/// <summary>Loading encoders for training: device placement and the dropout override.</summary>
public static class TrainingModels
{
    /// <summary>Resolves <c>cpu</c> or <c>cuda</c> (optionally <c>cuda:N</c>), failing clearly when CUDA is absent.</summary>
    public static Device ResolveDevice(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) && !cuda.is_available())
            throw new DiscoException($"device '{name}' requested but CUDA is not available in this build (TorchSharp-cpu); use --device cpu");
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
    /// (HuggingFace training applies config dropout the same way).
    /// </summary>
    public static MaskedLanguageModel Load(string modelDir, double? dropout, Device device)
    {
        ArgumentNullException.ThrowIfNull(modelDir);
        if (!Directory.Exists(modelDir))
            throw new DiscoException($"{modelDir}: model directory not found");
        var model = HfCheckpoint.Load(modelDir, out _);
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
}

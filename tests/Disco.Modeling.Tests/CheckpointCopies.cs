using static TorchSharp.torch;

namespace Disco.Modeling.Tests;

/// <summary>Temp copies of the tiny fixture with rewritten weights, for checkpoint-format tests.</summary>
public static class CheckpointCopies
{
    public static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
    }

    /// <summary>Copies the config/tokenizer of <paramref name="from"/> and writes the rewritten tensors as model.safetensors.</summary>
    public static void Rewrite(string from, string to, Func<IEnumerable<KeyValuePair<string, Tensor>>, IEnumerable<KeyValuePair<string, Tensor>>> rewrite)
    {
        CopyDirectory(from, to);
        File.Delete(Path.Combine(to, "model.safetensors"));
        var tensors = SafetensorsFile.Read(Path.Combine(from, "model.safetensors"));
        try
        {
            SafetensorsFile.Write(Path.Combine(to, "model.safetensors"), rewrite(tensors).ToList());
        }
        finally
        {
            foreach (var t in tensors.Values)
                t.Dispose();
        }
    }

    public static Dictionary<string, float[]> Parameters(MaskedLanguageModel model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().data<float>().ToArray());
}

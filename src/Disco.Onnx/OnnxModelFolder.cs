namespace Disco.Onnx;

/// <summary>
/// Where a model folder keeps its ONNX graph: <c>onnx/model.onnx</c> (sentence-transformers, optimum,
/// fastembed exports) or <c>model.onnx</c> at the top; <c>--onnx-file NAME</c> picks another file
/// (e.g. <c>model_quantized.onnx</c>) in either place.
/// </summary>
public static class OnnxModelFolder
{
    public const string DefaultFile = "model.onnx";
    public const string Subfolder = "onnx";

    /// <summary>The graph file of <paramref name="modelDir"/>, or null when the folder holds none.</summary>
    public static string? Find(string modelDir, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(modelDir);
        var name = fileName ?? DefaultFile;
        if (Path.IsPathRooted(name))
            return File.Exists(name) ? name : null;
        foreach (var candidate in new[] { Path.Combine(modelDir, Subfolder, name), Path.Combine(modelDir, name) })
        {
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>Whether the folder holds an ONNX graph (the default file, or any <c>*.onnx</c> in the usual places).</summary>
    public static bool HasOnnx(string modelDir) =>
        Find(modelDir) is not null
        || (Directory.Exists(Path.Combine(modelDir, Subfolder)) && Directory.EnumerateFiles(Path.Combine(modelDir, Subfolder), "*.onnx").Any());
}

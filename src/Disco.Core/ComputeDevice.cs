using System.Globalization;

namespace Disco.Core;

/// <summary>
/// Where a model runs: <c>cpu</c>, or <c>cuda</c> / <c>cuda:N</c>. Parsed here once for every
/// backend; TorchSharp (<c>Disco.Modeling.TorchDevices</c>) and ONNX Runtime (<c>Disco.Onnx</c>)
/// each map it to their own placement and fail with one line when CUDA is not available.
/// </summary>
/// <param name="IsCuda">A CUDA device rather than the CPU.</param>
/// <param name="Index">The CUDA device ordinal (0 for the CPU).</param>
public readonly record struct ComputeDevice(bool IsCuda, int Index)
{
    public static ComputeDevice Cpu { get; } = new(false, 0);

    /// <summary>Parses <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (case-insensitive).</summary>
    public static ComputeDevice Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = name.Trim().ToLowerInvariant();
        if (text == "cpu")
            return Cpu;
        if (text == "cuda")
            return new ComputeDevice(true, 0);
        if (text.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return new ComputeDevice(true, index);
        throw new DiscoException($"unknown device '{name}' (use cpu, cuda or cuda:N)");
    }

    public override string ToString() => IsCuda ? $"cuda:{Index}" : "cpu";
}

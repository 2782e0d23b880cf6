namespace Disco.Core.Vectors;

/// <summary>
/// Turns texts into sparse vectors over a vocabulary. Implemented by the SPLADE encoder in
/// Disco.Modeling; index, search and training code depend on this contract only, so they never
/// need TorchSharp.
/// </summary>
public interface ISparseEncoder : IDisposable
{
    /// <summary>Vocabulary strings by term id.</summary>
    IReadOnlyList<string> Vocabulary { get; }

    /// <summary>Encodes the texts; one vector per text, in input order.</summary>
    IReadOnlyList<SparseVector> Encode(IReadOnlyList<string> texts, IProgress<long>? progress = null);
}

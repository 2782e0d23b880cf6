using Disco.Core.Vectors;

namespace Disco.Retrieval;

/// <summary>A text's vector from a <see cref="MicroBatchEncoder"/> and its share of its batch's encoding time.</summary>
public sealed record EncodedText(SparseVector Vector, double Milliseconds);

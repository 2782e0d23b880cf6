namespace Disco.Modeling;

/// <summary>A tokenized pair <c>[CLS] q [SEP] p [SEP]</c>: the ids, and how many of them (up to and including the first [SEP]) have token type 0.</summary>
public readonly record struct EncodedPair(int[] Ids, int FirstSegmentLength);

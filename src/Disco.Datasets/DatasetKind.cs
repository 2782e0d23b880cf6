namespace Disco.Datasets;

/// <summary>The conversational search datasets <c>disco convert</c> reads.</summary>
public enum DatasetKind
{
    Topiocqa,
    Qrecc,
    Cast,
    Ikat,
}

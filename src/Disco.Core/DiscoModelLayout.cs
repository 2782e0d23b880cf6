namespace Disco.Core;

/// <summary>
/// DiSCo's training output layout (spec §1.2): the document encoder in <c>OUT/model</c> and the
/// trained query encoder beside it in <c>OUT/model/query</c>. Written by training, read by the
/// model loader and the Hydra mapping from these names only.
/// </summary>
public static class DiscoModelLayout
{
    /// <summary>The folder of the (frozen) document encoder inside a training output.</summary>
    public const string ModelFolder = "model";

    /// <summary>The folder of the query encoder inside <see cref="ModelFolder"/>.</summary>
    public const string QueryFolder = "query";
}

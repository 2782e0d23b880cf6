namespace Disco.Datasets;

/// <summary>Which CAsT rewrite becomes a turn's <c>rewrite</c>: the organisers' manual or automatic one.</summary>
public enum CastRewrite
{
    Manual,
    Automatic,
}

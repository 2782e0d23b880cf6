namespace Disco.Datasets;

/// <summary>
/// Options for CAsT topics. <paramref name="RewritesPath"/> is a TSV <c>qid&lt;TAB&gt;rewrite</c>
/// (CAsT 2019's <c>evaluation_topics_annotated_resolved_v1.0.tsv</c>); it wins over rewrites in the
/// topics. <paramref name="Passages"/> maps canonical result ids (2020/2021) to passage text, so
/// the canonical passage becomes the turn's answer.
/// </summary>
public sealed record CastOptions(CastRewrite Rewrite = CastRewrite.Manual, string? RewritesPath = null, IReadOnlyDictionary<string, string>? Passages = null);

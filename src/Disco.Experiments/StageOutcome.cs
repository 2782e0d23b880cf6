namespace Disco.Experiments;

/// <summary>What <see cref="ExperimentPipeline"/> did with one stage, and why.</summary>
/// <param name="Stage">The stage's name.</param>
/// <param name="Ran">True when the stage ran; false when its complete output was reused.</param>
/// <param name="Reason">Why it ran (<c>forced</c>, <c>no completed run</c>, <c>settings changed</c>, <c>an earlier stage ran again</c>, <c>output missing: PATH</c>) or <c>complete</c>.</param>
public sealed record StageOutcome(string Stage, bool Ran, string Reason);

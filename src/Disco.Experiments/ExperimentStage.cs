namespace Disco.Experiments;

/// <summary>
/// One stage of an experiment (train, index, retrieve and evaluate): what it runs and how its
/// completion is recognised.
/// </summary>
/// <param name="Name">The stage's name, also its state file's name (<c>train</c>, <c>index</c>, <c>retrieve</c>).</param>
/// <param name="Settings">Everything the stage's result depends on besides earlier stages (its resolved
/// arguments, say); a change makes the stage run again.</param>
/// <param name="Outputs">Files or folders the stage must leave behind; one missing makes it run again.</param>
/// <param name="Run">Runs the stage; it throws when the stage fails.</param>
public sealed record ExperimentStage(string Name, string Settings, IReadOnlyList<string> Outputs, Action Run);

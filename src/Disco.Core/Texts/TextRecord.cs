namespace Disco.Core.Texts;

/// <summary>An identified text: a passage or an already flattened query.</summary>
public sealed record TextRecord(string Id, string Text);

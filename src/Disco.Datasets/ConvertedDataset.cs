using Disco.Core.Runs;
namespace Disco.Datasets;

/// <summary>
/// A dataset's turns in reading order, plus the judgments its topics file carries itself
/// (TopiOCQA's positive passages); judgments from a separate qrels file are added by the writer.
/// </summary>
public sealed record ConvertedDataset(string Name, IReadOnlyList<DatasetTurn> Turns, IReadOnlyList<QrelEntry> Qrels)
{
    public ConvertedDataset(string name, IReadOnlyList<DatasetTurn> turns) : this(name, turns, []) { }
}

using Disco.Core;
using Disco.Core.Conversations;
using Disco.Core.IO;
using Disco.Core.Queries;
using Disco.Core.Texts;

namespace Disco.Training;

/// <summary>Reads training queries: a TSV/JSONL of flattened query texts, or conversations JSONL (flattened here).</summary>
public static class TrainingQueries
{
    public static Dictionary<string, string> Read(string path, FlatteningOptions? flattening = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        path = DataPaths.Resolve(path);
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in QueryFile.ReadTexts(path, flattening))
            queries[record.Id] = record.Text;
        return queries;
    }

    /// <summary>The collection as id → text.</summary>
    public static Dictionary<string, string> ReadCollection(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        path = DataPaths.Resolve(path);
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        var documents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in TextRecordFile.Read(path))
            documents[record.Id] = record.Text.Trim();
        return documents;
    }
}

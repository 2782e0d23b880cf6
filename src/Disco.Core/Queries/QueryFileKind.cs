namespace Disco.Core.Queries;

/// <summary>The kinds of query file <see cref="QueryFile"/> reads.</summary>
public enum QueryFileKind
{
    /// <summary>TSV <c>id&lt;TAB&gt;text</c> or JSONL <c>{id, text|contents}</c>.</summary>
    Texts,

    /// <summary>Conversations JSONL <c>{id, turns}</c>.</summary>
    Conversations,

    /// <summary>Vectors JSONL <c>{id, vector}</c> (from <c>disco encode</c>).</summary>
    Vectors,
}

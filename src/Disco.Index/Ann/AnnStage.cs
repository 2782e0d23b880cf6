namespace Disco.Index;

/// <summary>The stages of one approximate query, as an <see cref="IAnnProbe"/> sees them begin.</summary>
internal enum AnnStage
{
    /// <summary>Choosing the heavy terms and their cursors.</summary>
    Setup,

    /// <summary>A range's postings that may add a candidate (pass 1).</summary>
    Touch,

    /// <summary>A range's smaller postings, added to documents touched in the range (pass 2).</summary>
    Add,

    /// <summary>A range's touched documents take their partial scores; their slots are cleared.</summary>
    Flush,

    /// <summary>The budget of candidates is chosen.</summary>
    Choose,

    /// <summary>The candidates are scored exactly.</summary>
    Rescore,

    /// <summary>The query is done.</summary>
    Done,
}

namespace Disco.Modeling;

/// <summary>
/// What <see cref="HfCheckpoint.Load(string, out CheckpointLoadReport, TextWriter?)"/> matched, in HuggingFace's
/// terms: model parameters the checkpoint lacked (left at their random initialisation) and
/// checkpoint tensors the model did not use.
/// </summary>
/// <param name="ModelDirectory">The directory loaded.</param>
/// <param name="WeightFiles">The weight files read, in order.</param>
/// <param name="MissingKeys">Model parameters (HF names) absent from the checkpoint.</param>
/// <param name="UnexpectedKeys">Checkpoint tensors (as stored) that no parameter took.</param>
/// <param name="StoredDTypes">The dtypes the weights were stored in (converted to float32 on load).</param>
/// <param name="Architecture">HuggingFace's class name of the model built (<c>BertForMaskedLM</c>, <c>DistilBertForMaskedLM</c>).</param>
public sealed record CheckpointLoadReport(
    string ModelDirectory,
    IReadOnlyList<string> WeightFiles,
    IReadOnlyList<string> MissingKeys,
    IReadOnlyList<string> UnexpectedKeys,
    IReadOnlyList<string> StoredDTypes,
    string Architecture = nameof(BertForMaskedLM))
{
    /// <summary>HuggingFace's two load warnings, one line each; empty when everything matched.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            var lines = new List<string>();
            if (UnexpectedKeys.Count > 0)
                lines.Add($"Some weights of the model checkpoint at {ModelDirectory} were not used when initializing {Architecture}: [{string.Join(", ", UnexpectedKeys)}]");
            if (MissingKeys.Count > 0)
                lines.Add($"Some weights of {Architecture} were not initialized from the model checkpoint at {ModelDirectory} and are newly initialized: [{string.Join(", ", MissingKeys)}]");
            return lines;
        }
    }
}

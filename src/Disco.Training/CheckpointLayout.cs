namespace Disco.Training;

/// <summary>
/// File and folder names of a training output (checkpoint format version 1, docs/training.md):
/// <c>OUT/checkpoint-N/</c> and <c>OUT/best/</c> hold <c>model/</c> (DiSCo: <c>model/query/</c> too),
/// <c>optimizer.bin</c>, <c>trainer_state.json</c> and <c>training_args.json</c>; the final models
/// are <c>OUT/model/</c>.
/// </summary>
public static class CheckpointLayout
{
    /// <summary>The models' folder, in checkpoints and in the output (DiSCo: the document encoder).</summary>
    public const string ModelFolder = Core.DiscoModelLayout.ModelFolder;

    /// <summary>DiSCo's query encoder, inside <see cref="ModelFolder"/>.</summary>
    public const string QueryFolder = Core.DiscoModelLayout.QueryFolder;

    public const string OptimizerFile = "optimizer.bin";

    public const string ArgumentsFile = Core.DiscoModelLayout.ArgumentsFile;

    public const string LogFile = "log.jsonl";

    public const string BestFolder = "best";

    public const string CheckpointPrefix = "checkpoint-";

    /// <summary>The folder of the checkpoint of <paramref name="step"/>.</summary>
    public static string Checkpoint(string outputDir, long step) =>
        Path.Combine(outputDir, CheckpointPrefix + step.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

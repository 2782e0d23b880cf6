using System.Text.Json;
using System.Text.Json.Serialization;
using Disco.Core;
using Disco.Core.IO;

namespace Disco.Training;

/// <summary>
/// <c>trainer_state.json</c> of a checkpoint (format version 1, docs/training.md): where training
/// stopped and the best validation so far. With the optimizer state and the query encoder it is
/// all a resume needs, because every random draw is derived from (seed, epoch, position).
/// </summary>
public sealed record TrainerState
{
    public const int CurrentVersion = 1;
    public const string FileName = "trainer_state.json";

    [JsonPropertyName("format_version")]
    public int FormatVersion { get; init; } = CurrentVersion;

    [JsonPropertyName("recipe")]
    public string Recipe { get; init; } = "disco";

    [JsonPropertyName("global_step")]
    public long Step { get; init; }

    [JsonPropertyName("total_steps")]
    public long TotalSteps { get; init; }

    [JsonPropertyName("epoch")]
    public double Epoch { get; init; }

    [JsonPropertyName("seed")]
    public long Seed { get; init; }

    [JsonPropertyName("best_metric")]
    public double? BestMetric { get; init; }

    [JsonPropertyName("best_step")]
    public long? BestStep { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public void Write(string directory) =>
        AtomicFile.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Json));

    public static TrainerState Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
            throw new DiscoException($"{path}: not found; resume from a checkpoint-N folder written by the training loop");
        TrainerState? state;
        try
        {
            state = JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, e.LineNumber + 1 ?? 0, e.Message);
        }
        if (state is null)
            throw new DataFormatException(path, 1, "empty trainer state");
        if (state.FormatVersion != CurrentVersion)
            throw new DataFormatException(path, 1, $"format_version {state.FormatVersion} is not supported (expected {CurrentVersion})");
        return state;
    }
}

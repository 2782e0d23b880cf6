using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Disco.Core;
using Disco.Core.IO;

namespace Disco.Experiments;

/// <summary>
/// Runs an experiment's stages in order (naver/splade's <c>splade.all</c>: train, index, retrieve and
/// evaluate), skipping each stage whose output is complete. A stage is complete when its state file
/// (<c>STATE/NAME.json</c>, written only after the stage succeeded) records the same fingerprint —
/// a hash of the stage's settings and of the fingerprints and completion times of the stages before
/// it — and every output it declares exists. So a stage interrupted midway, one whose settings
/// changed, one whose output was deleted, and every stage after one that ran again, run again;
/// <c>force</c> runs them all.
/// </summary>
public sealed class ExperimentPipeline
{
    private const int StateVersion = 1;

    /// <param name="stateDirectory">Where the stages' state files go (created when needed).</param>
    public ExperimentPipeline(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        StateDirectory = stateDirectory;
    }

    public string StateDirectory { get; }

    /// <summary>Runs or skips each stage in order; <paramref name="onStage"/> hears each decision before the stage runs.</summary>
    public IReadOnlyList<StageOutcome> Run(IReadOnlyList<ExperimentStage> stages, bool force = false, Action<StageOutcome>? onStage = null)
    {
        ArgumentNullException.ThrowIfNull(stages);
        if (stages.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count() != stages.Count)
            throw new ArgumentException("stage names must be distinct", nameof(stages));
        Directory.CreateDirectory(StateDirectory);
        var outcomes = new List<StageOutcome>(stages.Count);
        var chain = "";
        var earlierRan = false;
        foreach (var stage in stages)
        {
            var fingerprint = Hash(chain + "\n" + stage.Name + "\n" + stage.Settings);
            var statePath = StatePath(stage.Name);
            var reason = force ? "forced" : Incomplete(stage, statePath, fingerprint, earlierRan);
            var outcome = new StageOutcome(stage.Name, reason is not null, reason ?? "complete");
            onStage?.Invoke(outcome);
            if (outcome.Ran)
            {
                // Gone before the stage starts, so a stage that dies midway is not taken as complete.
                File.Delete(statePath);
                stage.Run();
                foreach (var output in stage.Outputs)
                {
                    if (!File.Exists(output) && !Directory.Exists(output))
                        throw new DiscoException($"stage {stage.Name} finished without writing {output}");
                }
                WriteState(statePath, stage, fingerprint);
                earlierRan = true;
            }
            outcomes.Add(outcome);
            chain = fingerprint + "@" + ReadState(statePath)?["completed"]?.GetValue<string>();
        }
        return outcomes;
    }

    /// <summary>The state file of a stage.</summary>
    public string StatePath(string stage) => Path.Combine(StateDirectory, stage + ".json");

    private static string? Incomplete(ExperimentStage stage, string statePath, string fingerprint, bool earlierRan)
    {
        if (ReadState(statePath) is not { } state)
            return "no completed run";
        if (state["fingerprint"]?.GetValue<string>() != fingerprint)
            return earlierRan ? "an earlier stage ran again" : "settings changed";
        var missing = stage.Outputs.FirstOrDefault(o => !File.Exists(o) && !Directory.Exists(o));
        return missing is null ? null : $"output missing: {missing}";
    }

    private static JsonObject? ReadState(string path)
    {
        if (!File.Exists(path))
            return null;
        try
        {
            // A state file that cannot be read means "not complete": the stage runs again and rewrites it.
            return JsonNode.Parse(File.ReadAllText(path)) is JsonObject o && o["version"]?.GetValue<int>() == StateVersion ? o : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static void WriteState(string path, ExperimentStage stage, string fingerprint)
    {
        var state = new JsonObject
        {
            ["version"] = StateVersion,
            ["stage"] = stage.Name,
            ["fingerprint"] = fingerprint,
            ["completed"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["settings"] = stage.Settings,
            ["outputs"] = new JsonArray([.. stage.Outputs.Select(o => (JsonNode)o)]),
        };
        AtomicFile.WriteAllText(path, state.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

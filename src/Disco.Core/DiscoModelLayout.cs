using System.Text.Json.Nodes;
using Disco.Core.IO;

namespace Disco.Core;

/// <summary>
/// DiSCo's training output layout (spec §1.2): the document encoder in <c>OUT/model</c> and the
/// trained query encoder beside it in <c>OUT/model/query</c>. Written by training, read by the
/// model loader and the Hydra mapping from these names only.
/// </summary>
public static class DiscoModelLayout
{
    /// <summary>The folder of the (frozen) document encoder inside a training output.</summary>
    public const string ModelFolder = "model";

    /// <summary>The folder of the query encoder inside <see cref="ModelFolder"/>.</summary>
    public const string QueryFolder = "query";

    /// <summary>
    /// Written last into a training output's <see cref="ModelFolder"/>: a folder without it was not
    /// saved completely (or predates it), so the loader never mistakes a missing query encoder for none.
    /// </summary>
    public const string CompleteFile = "disco_model.json";

    /// <summary>The training run's arguments, beside <see cref="ModelFolder"/> in a training output or checkpoint.</summary>
    public const string ArgumentsFile = "training_args.json";

    /// <summary>The recipe (<see cref="ArgumentsFile"/>'s <c>"recipe"</c>) whose outputs hold a query encoder in <see cref="QueryFolder"/>; every other recipe trains one model for both roles.</summary>
    public const string QueryEncoderRecipe = "disco";

    /// <summary>Marks <paramref name="modelDirectory"/> complete, recording whether it holds a query encoder.</summary>
    public static void MarkComplete(string modelDirectory)
    {
        ArgumentNullException.ThrowIfNull(modelDirectory);
        var marker = new JsonObject
        {
            ["format_version"] = 1,
            ["query_encoder"] = Directory.Exists(Path.Combine(modelDirectory, QueryFolder)),
        };
        AtomicFile.WriteAllText(Path.Combine(modelDirectory, CompleteFile), marker.ToJsonString());
    }

    /// <summary>
    /// Whether <paramref name="modelDirectory"/> has a query encoder per its marker: null when there is
    /// no marker. A marker that cannot be read is an error, never "no query encoder".
    /// </summary>
    public static bool? MarkedQueryEncoder(string modelDirectory)
    {
        ArgumentNullException.ThrowIfNull(modelDirectory);
        var path = Path.Combine(modelDirectory, CompleteFile);
        if (!File.Exists(path))
            return null;
        var node = StrictJson.ParseObject(File.ReadAllBytes(path), path);
        return node["query_encoder"] is { } value && value.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False
            ? value.GetValue<bool>()
            : throw new DataFormatException(path, 1, "\"query_encoder\" must be true or false");
    }

    /// <summary>
    /// The recipe that trained <paramref name="modelDirectory"/> (a training output's or checkpoint's
    /// <see cref="ModelFolder"/>), from its parent's <see cref="ArgumentsFile"/>; null when the file is
    /// missing, unreadable or names none.
    /// </summary>
    public static string? TrainedBy(string modelDirectory)
    {
        ArgumentNullException.ThrowIfNull(modelDirectory);
        var parent = Path.GetDirectoryName(Path.GetFullPath(modelDirectory.TrimEnd('/', '\\')));
        var path = parent is null ? null : Path.Combine(parent, ArgumentsFile);
        if (path is null || !File.Exists(path))
            return null;
        try
        {
            return StrictJson.ParseObject(File.ReadAllBytes(path), path)["recipe"] is { } recipe && recipe.GetValueKind() == System.Text.Json.JsonValueKind.String
                ? recipe.GetValue<string>()
                : null;
        }
        catch (DataFormatException)
        {
            return null;
        }
    }

    /// <summary>True when <paramref name="modelDirectory"/> sits in a training output or checkpoint (its parent holds the run's arguments).</summary>
    public static bool InTrainingOutput(string modelDirectory)
    {
        ArgumentNullException.ThrowIfNull(modelDirectory);
        var full = Path.GetFullPath(modelDirectory.TrimEnd('/', '\\'));
        return Path.GetFileName(full) == ModelFolder && Path.GetDirectoryName(full) is { } parent && File.Exists(Path.Combine(parent, ArgumentsFile));
    }
}

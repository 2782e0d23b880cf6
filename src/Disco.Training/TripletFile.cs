using System.Globalization;
using Disco.Core;
using Disco.Core.IO;

namespace Disco.Training;

/// <summary>
/// SPLADE's triplet TSV: <c>query&lt;TAB&gt;positive&lt;TAB&gt;negative</c>, optionally followed by
/// <c>&lt;TAB&gt;teacher_positive&lt;TAB&gt;teacher_negative</c> (<c>triplets_with_distil</c>).
/// </summary>
public static class TripletFile
{
    /// <param name="path">The TSV, or a folder holding SPLADE's <c>raw.tsv</c>.</param>
    public static List<TrainingTriplet> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        path = DataPaths.Resolve(path);
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        var triplets = new List<TrainingTriplet>();
        // Strict UTF-8 (a BOM is accepted): invalid bytes are an error with their line, not U+FFFD in a training text.
        foreach (var (line, lineNumber) in Utf8Lines.Read(path))
        {
            if (line.Length == 0)
                continue;
            var fields = line.Split('\t');
            if (fields.Length is not (3 or 5))
                throw new DataFormatException(path, lineNumber, $"expected 3 fields (q, d+, d-) or 5 (with teacher scores), found {fields.Length}");
            float? tp = null, tn = null;
            if (fields.Length == 5)
            {
                tp = Score(fields[3], path, lineNumber);
                tn = Score(fields[4], path, lineNumber);
            }
            triplets.Add(new TrainingTriplet(fields[0].Trim(), fields[1].Trim(), fields[2].Trim(), tp, tn));
        }
        if (triplets.Count == 0)
            throw new DataFormatException(path, 1, "no triplets");
        return triplets;
    }

    private static float Score(string text, string path, long line) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && float.IsFinite(value)
            ? value
            : throw new DataFormatException(path, line, $"teacher score '{text}' is not a finite number");
}

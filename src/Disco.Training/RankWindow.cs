using System.Globalization;
using Disco.Core;

namespace Disco.Training;

/// <summary>
/// The slice of a teacher ranking that negatives are drawn from: ranks [Start, End) counted from 0,
/// so DiSCo's default 10:960 keeps teacher ranks 11 to 960 and never uses the top 10 as negatives.
/// </summary>
public readonly record struct RankWindow(int Start, int End)
{
    /// <summary>DiSCo's window: TOPK_mi=10, TOPK_ma=950 entries, i.e. [10, 960).</summary>
    public static RankWindow Disco => new(10, 960);

    public static RankWindow Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end)
            || end <= start)
            throw new DiscoException($"rank window '{text}' is not START:END with 0 <= START < END (e.g. 10:960)");
        return new RankWindow(start, end);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Start}:{End}");
}

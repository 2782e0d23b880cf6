using System.Globalization;
using Disco.Core;

namespace Disco.Training;

/// <summary>Range checks of training options; messages name the option property, never a CLI flag.</summary>
internal static class TrainingOptionChecks
{
    public static void Require(bool ok, string message)
    {
        if (!ok)
            throw new DiscoException(message);
    }

    public static void AtLeastOne(long value, string property) =>
        Require(value >= 1, string.Create(CultureInfo.InvariantCulture, $"{property} must be at least 1, got {value}"));

    public static void Dropout(double value, string property) =>
        Require(value is >= 0 and < 1, string.Create(CultureInfo.InvariantCulture, $"{property} must be in [0, 1), got {value}"));

    public static void MaxLength(int value, string property) =>
        Require(value is >= 2 and <= 512, string.Create(CultureInfo.InvariantCulture, $"{property} must be in [2, 512], got {value}"));

    /// <summary>The path of a required input, or an error naming its property.</summary>
    public static string Path(string? value, string property) =>
        value ?? throw new DiscoException($"{property} is required");
}

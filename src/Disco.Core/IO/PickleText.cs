using System.Globalization;
using System.Text;

namespace Disco.Core.IO;

/// <summary>
/// Decoding of pickle opcode arguments for <see cref="RestrictedUnpickler"/>: each returns null on
/// bad input so the caller reports it with the file and byte position.
/// </summary>
internal static class PickleText
{
    /// <summary>A little-endian two's-complement integer of at most 8 bytes (LONG1/LONG4); null when larger.</summary>
    public static long? LittleEndianSigned(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 8)
            return null;
        if (bytes.Length == 0)
            return 0;
        long v = 0;
        for (var i = bytes.Length - 1; i >= 0; i--)
            v = (v << 8) | bytes[i];
        var shift = 64 - 8 * bytes.Length;
        return shift == 0 ? v : (v << shift) >> shift;
    }

    /// <summary>The decimal argument of INT/LONG/PUT/GET (a trailing 'L' allowed); null when not a 64-bit integer.</summary>
    public static long? ParseDecimal(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = line.EndsWith('L') ? line[..^1] : line;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    /// <summary>Python's raw-unicode-escape (UNICODE opcode): latin-1 text where \uXXXX and \UXXXXXXXX stand for code points; null on a bad escape.</summary>
    public static string? RawUnicodeEscape(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var sb = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is 'u' or 'U')
            {
                var digits = line[i + 1] == 'u' ? 4 : 8;
                if (i + 2 + digits > line.Length || !int.TryParse(line.AsSpan(i + 2, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var cp) || cp > 0x10FFFF)
                    return null;
                sb.Append(char.ConvertFromUtf32(cp));
                i += 1 + digits;
            }
            else
            {
                sb.Append(line[i]);
            }
        }
        return sb.ToString();
    }

    /// <summary>A refused opcode's argument as shown in an error: printable ASCII only, at most 64 characters.</summary>
    public static string Printable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new string([.. text.Take(64).Select(c => c is >= ' ' and < '\x7f' ? c : '?')]);
    }
}

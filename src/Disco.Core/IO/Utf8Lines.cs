using System.Text;

namespace Disco.Core.IO;

/// <summary>
/// Reads a text file line by line as strict UTF-8: a leading byte order mark is accepted and
/// dropped, and a byte sequence that is not UTF-8 is a <see cref="DataFormatException"/> naming
/// the file, the line and the byte, where .NET's readers would silently put U+FFFD in its place.
/// Lines end at <c>\n</c>, <c>\r\n</c> or <c>\r</c>, as with <see cref="File.ReadLines(string)"/>.
/// </summary>
public static class Utf8Lines
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The lines of <paramref name="path"/> with their 1-based numbers.</summary>
    public static IEnumerable<(string Text, long Number)> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        return ReadExisting(path, () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16));
    }

    /// <summary>The lines of the stream <paramref name="open"/> opens (e.g. decompressing <paramref name="path"/>), named <paramref name="path"/> in errors.</summary>
    public static IEnumerable<(string Text, long Number)> Read(string path, Func<Stream> open)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(open);
        return ReadExisting(path, open);
    }

    private static IEnumerable<(string Text, long Number)> ReadExisting(string path, Func<Stream> open)
    {
        using var reader = new StreamReader(open(), Strict, detectEncodingFromByteOrderMarks: false, 1 << 16);
        long number = 0;
        while (true)
        {
            string? line;
            try
            {
                line = reader.ReadLine();
            }
            catch (DecoderFallbackException)
            {
                // The reader decodes ahead of the line it returns: find the exact place.
                throw LocateInvalid(path, open);
            }
            if (line is null)
                yield break;
            number++;
            if (number == 1 && line.StartsWith('\uFEFF'))
                line = line[1..];
            yield return (line, number);
        }
    }

    /// <summary>The error for the first invalid UTF-8 sequence of a stream, with its line; reads it once more.</summary>
    private static DataFormatException LocateInvalid(string path, Func<Stream> open)
    {
        using var stream = open();
        var buffer = new byte[(1 << 16) + 4];
        var carried = 0;
        long offset = 0;
        long line = 1;
        while (true)
        {
            var read = stream.Read(buffer, carried, buffer.Length - carried);
            var length = carried + read;
            var span = buffer.AsSpan(0, length);
            var at = 0;
            while (at < length)
            {
                var status = Rune.DecodeFromUtf8(span[at..], out _, out var consumed);
                if (status == System.Buffers.OperationStatus.NeedMoreData && read > 0)
                    break;
                if (status != System.Buffers.OperationStatus.Done)
                    return new DataFormatException(path, line, $"invalid UTF-8 (byte 0x{span[at]:x2} at offset {offset + at})");
                if (span[at] == (byte)'\n')
                    line++;
                at += consumed;
            }
            if (read == 0)
                return new DataFormatException(path, line, "invalid UTF-8");
            carried = length - at;
            span[at..].CopyTo(buffer);
            offset += at;
        }
    }
}

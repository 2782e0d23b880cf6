using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Disco.Core.IO;

/// <summary>
/// Parses JSON from files that are not trusted (model configs, safetensors headers, index
/// metadata): strict UTF-8 (a leading BOM is accepted), duplicate member names refused, exactly one
/// value, and a size limit checked before the file is read. Every failure is a
/// <see cref="DataFormatException"/> naming the source and, where known, the line.
/// </summary>
/// <remarks>
/// System.Text.Json alone would replace invalid UTF-8 with U+FFFD and let the last of two equal
/// member names win; both would make a damaged file read as a different, valid one.
/// </remarks>
public static class StrictJson
{
    private static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    /// <summary>Reads and parses a file of at most <paramref name="maxBytes"/> bytes whose root must be an object.</summary>
    public static JsonObject ReadObjectFile(string path, long maxBytes)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new DiscoException($"{path}: file not found");
        if (info.Length > maxBytes)
            throw new DataFormatException(path, 0, $"{info.Length} bytes is larger than the {maxBytes} bytes such a file may have");
        return ParseObject(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses UTF-8 bytes whose root must be a JSON object.</summary>
    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8, string source)
        => Parse(utf8, source) as JsonObject ?? throw new DataFormatException(source, 0, "the root must be a JSON object");

    /// <summary>Parses UTF-8 bytes (BOM accepted) into a node; null for the JSON literal <c>null</c>.</summary>
    public static JsonNode? Parse(ReadOnlySpan<byte> utf8, string source)
    {
        if (utf8.StartsWith(Encoding.UTF8.Preamble))
            utf8 = utf8[3..];
        CheckUtf8(utf8, source);
        try
        {
            return JsonNode.Parse(utf8, documentOptions: Options);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(source, (e.LineNumber ?? -1) + 1, $"invalid JSON: {FirstSentence(e.Message)}");
        }
    }

    /// <summary>Parses a string (already decoded) with the same rules.</summary>
    public static JsonNode? Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json), source);
    }

    /// <summary>Refuses bytes that are not well-formed UTF-8, naming the line and byte offset of the first bad sequence.</summary>
    public static void CheckUtf8(ReadOnlySpan<byte> utf8, string source)
    {
        if (Utf8.IsValid(utf8))
            return;
        var offset = 0;
        while (offset < utf8.Length && System.Text.Rune.DecodeFromUtf8(utf8[offset..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
            offset += consumed;
        var line = utf8[..offset].Count((byte)'\n') + 1;
        throw new DataFormatException(source, line, $"invalid UTF-8 (byte 0x{utf8[offset]:x2} at offset {offset})");
    }

    /// <summary>
    /// System.Text.Json's messages end with the position, which the exception already names; the
    /// token they quote may span lines, and errors are one line, so line breaks become spaces.
    /// </summary>
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var sentence = cut > 0 ? message[..cut].TrimEnd() : message;
        return sentence.ReplaceLineEndings(" ");
    }
}

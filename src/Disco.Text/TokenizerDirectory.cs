using System.Text.Json;
using Disco.Core;

namespace Disco.Text;

/// <summary>Reads a HuggingFace tokenizer directory (vocab.txt and/or tokenizer.json plus configs).</summary>
internal static class TokenizerDirectory
{
    public static WordPieceTokenizer Load(string modelDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelDir);
        if (!Directory.Exists(modelDir))
            throw new DiscoException($"tokenizer directory not found: {modelDir}");
        string tokenizerJson = Path.Combine(modelDir, "tokenizer.json");
        string vocabTxt = Path.Combine(modelDir, "vocab.txt");

        var settings = new WordPieceSettings();
        IReadOnlyList<string> vocabulary;
        if (File.Exists(tokenizerJson))
        {
            // BertTokenizerFast reads tokenizer.json and ignores vocab.txt when both exist.
            (vocabulary, settings) = ReadTokenizerJson(tokenizerJson, settings);
        }
        else if (File.Exists(vocabTxt))
        {
            vocabulary = ReadVocabTxt(vocabTxt);
        }
        else
        {
            throw new DiscoException($"no vocabulary in {modelDir}: expected {vocabTxt} or {tokenizerJson}");
        }

        string specialTokensMap = Path.Combine(modelDir, "special_tokens_map.json");
        if (File.Exists(specialTokensMap))
            settings = ReadConfig(specialTokensMap, settings);
        string config = Path.Combine(modelDir, "tokenizer_config.json");
        if (File.Exists(config))
            settings = ReadConfig(config, settings);
        return new WordPieceTokenizer(vocabulary, settings);
    }

    /// <summary>One token per line, id = line number; like HF's load_vocab only the newline is removed.</summary>
    internal static string[] ReadVocabTxt(string path)
    {
        using var reader = new StreamReader(path);
        return ReadVocabTxt(reader, path);
    }

    internal static string[] ReadVocabTxt(TextReader reader, string source)
    {
        var tokens = new List<string>(32_000);
        while (reader.ReadLine() is { } line)
            tokens.Add(line);
        if (tokens.Count == 0)
            throw new DataFormatException(source, 0, "the vocabulary is empty");
        return [.. tokens];
    }

    private static (IReadOnlyList<string>, WordPieceSettings) ReadTokenizerJson(string path, WordPieceSettings settings)
    {
        using var document = Parse(path);
        var root = document.RootElement;
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
            throw new DataFormatException(path, 0, "no \"model\" object");
        if (model.TryGetProperty("type", out var type) && type.GetString() != "WordPiece")
            throw new DataFormatException(path, 0, $"model type '{type.GetString()}' is not WordPiece");
        if (!model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object)
            throw new DataFormatException(path, 0, "model.vocab is missing or not an object of token → id");

        var byId = new Dictionary<int, string>();
        foreach (var entry in vocab.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out int id) || id < 0)
                throw new DataFormatException(path, 0, $"model.vocab['{entry.Name}'] is not a non-negative integer id");
            byId[id] = entry.Name;
        }

        var added = new List<string>();
        if (root.TryGetProperty("added_tokens", out var addedTokens) && addedTokens.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in addedTokens.EnumerateArray())
            {
                string content = token.GetProperty("content").GetString() ?? "";
                int id = token.GetProperty("id").GetInt32();
                // Deviation: HF matches added tokens with normalized=true on the normalized text; all are
                // matched on the raw text here (BERT's special tokens are normalized=false, so they agree).
                byId.TryAdd(id, content);
                if (byId[id] != content)
                    throw new DataFormatException(path, 0, $"added token '{content}' has id {id}, which model.vocab gives to '{byId[id]}'");
                added.Add(content);
            }
        }

        var vocabulary = new string[byId.Count == 0 ? 0 : byId.Keys.Max() + 1];
        for (int id = 0; id < vocabulary.Length; id++)
        {
            vocabulary[id] = byId.TryGetValue(id, out var token) ? token
                : throw new DataFormatException(path, 0, $"token ids are not contiguous: no token has id {id}");
        }

        if (vocabulary.Length == 0)
            throw new DataFormatException(path, 0, "the vocabulary is empty");

        settings = settings with { AddedTokens = added };
        if (model.TryGetProperty("unk_token", out var unk) && unk.ValueKind == JsonValueKind.String)
            settings = settings with { UnkToken = unk.GetString()! };
        if (model.TryGetProperty("continuing_subword_prefix", out var prefix) && prefix.ValueKind == JsonValueKind.String)
            settings = settings with { ContinuingSubwordPrefix = prefix.GetString()! };
        if (model.TryGetProperty("max_input_chars_per_word", out var maxChars) && maxChars.ValueKind == JsonValueKind.Number)
            settings = settings with { MaxInputCharsPerWord = maxChars.GetInt32() };
        if (root.TryGetProperty("normalizer", out var normalizer))
            settings = ApplyNormalizer(path, normalizer, settings);
        return (vocabulary, settings);
    }

    private static WordPieceSettings ApplyNormalizer(string path, JsonElement normalizer, WordPieceSettings settings)
    {
        if (normalizer.ValueKind == JsonValueKind.Null)
            return settings with { LowerCase = false, StripAccents = false };
        string? type = normalizer.TryGetProperty("type", out var t) ? t.GetString() : null;
        switch (type)
        {
            case "BertNormalizer":
                bool lowerCase = !normalizer.TryGetProperty("lowercase", out var lc) || lc.GetBoolean();
                bool? strip = normalizer.TryGetProperty("strip_accents", out var sa) && sa.ValueKind != JsonValueKind.Null
                    ? sa.GetBoolean() : null;
                bool chinese = !normalizer.TryGetProperty("handle_chinese_chars", out var hc) || hc.GetBoolean();
                return settings with { LowerCase = lowerCase, StripAccents = strip, TokenizeChineseChars = chinese };
            case "Sequence":
                // Only the pieces that BertNormalizer itself is made of are understood.
                var result = settings with { LowerCase = false, StripAccents = false, TokenizeChineseChars = false };
                foreach (var inner in normalizer.GetProperty("normalizers").EnumerateArray())
                {
                    string? innerType = inner.TryGetProperty("type", out var it) ? it.GetString() : null;
                    result = innerType switch
                    {
                        "Lowercase" => result with { LowerCase = true },
                        "StripAccents" => result with { StripAccents = true },
                        "NFD" or "NFC" => result,
                        "BertNormalizer" => ApplyNormalizer(path, inner, result),
                        _ => throw new DataFormatException(path, 0, $"normalizer '{innerType}' is not supported (BertNormalizer, Lowercase, StripAccents, NFD, NFC are)"),
                    };
                }

                return result;
            default:
                throw new DataFormatException(path, 0, $"normalizer '{type}' is not supported (BertNormalizer, Sequence of Lowercase/StripAccents/NFD are)");
        }
    }

    /// <summary>tokenizer_config.json and special_tokens_map.json: HF's tokenizer init arguments override tokenizer.json.</summary>
    private static WordPieceSettings ReadConfig(string path, WordPieceSettings settings)
    {
        using var document = Parse(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new DataFormatException(path, 1, "expected a JSON object");
        if (TryBool(root, "do_lower_case") is { } lowerCase)
            settings = settings with { LowerCase = lowerCase };
        if (root.TryGetProperty("strip_accents", out var strip))
            settings = settings with { StripAccents = strip.ValueKind is JsonValueKind.True or JsonValueKind.False ? strip.GetBoolean() : null };
        if (TryBool(root, "tokenize_chinese_chars") is { } chinese)
            settings = settings with { TokenizeChineseChars = chinese };
        if (root.TryGetProperty("model_max_length", out var max) && max.ValueKind == JsonValueKind.Number)
        {
            // Configs without a real limit store 1e30 (VERY_LARGE_INTEGER).
            double value = max.GetDouble();
            settings = settings with { ModelMaxLength = value is > 0 and < int.MaxValue ? (int)value : int.MaxValue };
        }

        settings = settings with
        {
            UnkToken = TokenText(root, "unk_token") ?? settings.UnkToken,
            ClsToken = TokenText(root, "cls_token") ?? settings.ClsToken,
            SepToken = TokenText(root, "sep_token") ?? settings.SepToken,
            PadToken = TokenText(root, "pad_token") ?? settings.PadToken,
            MaskToken = TokenText(root, "mask_token") ?? settings.MaskToken,
        };

        var added = new List<string>(settings.AddedTokens);
        if (root.TryGetProperty("additional_special_tokens", out var additional) && additional.ValueKind == JsonValueKind.Array)
            added.AddRange(additional.EnumerateArray().Select(TokenText).OfType<string>());
        if (root.TryGetProperty("added_tokens_decoder", out var decoder) && decoder.ValueKind == JsonValueKind.Object)
            added.AddRange(decoder.EnumerateObject().Select(p => TokenText(p.Value)).OfType<string>());
        return settings with { AddedTokens = [.. added.Distinct()] };
    }

    private static bool? TryBool(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean() : null;

    private static string? TokenText(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? TokenText(value) : null;

    /// <summary>HF writes a token either as a string or as an AddedToken object with "content".</summary>
    private static string? TokenText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Object when value.TryGetProperty("content", out var content) => content.GetString(),
        _ => null,
    };

    private static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, (e.LineNumber ?? -1) + 1, $"invalid JSON: {e.Message}");
        }
    }
}

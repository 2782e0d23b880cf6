using System.Buffers;
using System.Globalization;
using System.Text;
using Disco.Core;

namespace Disco.Text;

/// <summary>
/// BERT WordPiece tokenizer with the exact semantics of HuggingFace's BertTokenizer / BertTokenizerFast:
/// special tokens written in the text are split out first, then the text is cleaned (control and
/// format characters dropped, whitespace unified), CJK ideographs isolated, lowercased and accent-stripped
/// (when the model is uncased), split on whitespace and punctuation, and each word is cut into the
/// longest vocabulary pieces from the left (<c>##</c> marks a continuation). Thread-safe.
/// </summary>
/// <remarks>
/// Written here rather than wrapping Microsoft.ML.Tokenizers 2.0.1 or FastBertTokenizer 1.2.6: each
/// reproduces only 21 of the 25 HuggingFace golden cases (dropped symbols, words joined across tabs,
/// control and zero-width characters; <c>[SEP]</c> in the text, the 100-character rule), DiSCo's
/// conversation inputs contain a literal <c>[SEP]</c>, and this one is faster than both
/// (docs/benchmarks.md, "Tokenizer"). See docs/tokenizer.md.
/// </remarks>
public sealed class WordPieceTokenizer
{
    private const byte AsciiSkip = 0;
    private const byte AsciiSpace = 1;
    private const byte AsciiPunctuation = 2;
    private const byte AsciiWord = 3;

    private static readonly byte[] AsciiKinds = BuildAsciiKinds();

    private static readonly SearchValues<char> AsciiWordChars =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly SearchValues<char> AsciiLowerWordChars = SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyz");

    [ThreadStatic]
    private static Scratch? t_scratch;

    private readonly string[] _vocabulary;
    private readonly Dictionary<string, int> _tokenIds;
    private readonly SpanVocabulary _starts;
    private readonly SpanVocabulary _continuations;
    private readonly int[] _asciiIds;
    private readonly AddedTokenMatcher _addedTokens;
    private readonly CharNormalizer? _normalizer;
    private readonly bool _tokenizeChineseChars;
    private readonly int _maxInputCharsPerWord;

    internal WordPieceTokenizer(IReadOnlyList<string> vocabulary, WordPieceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(settings);
        _vocabulary = [.. vocabulary];
        LowerCase = settings.LowerCase;
        StripAccents = settings.StripAccents ?? settings.LowerCase;
        _normalizer = CharNormalizer.For(LowerCase, StripAccents);
        _tokenizeChineseChars = settings.TokenizeChineseChars;
        _maxInputCharsPerWord = settings.MaxInputCharsPerWord;
        ModelMaxLength = settings.ModelMaxLength;

        // Like HF's load_vocab, a repeated token keeps its last id.
        _tokenIds = new Dictionary<string, int>(_vocabulary.Length, StringComparer.Ordinal);
        var starts = new List<(string, int)>(_vocabulary.Length);
        var continuations = new List<(string, int)>(_vocabulary.Length);
        string prefix = settings.ContinuingSubwordPrefix;
        for (int id = 0; id < _vocabulary.Length; id++)
        {
            string token = _vocabulary[id];
            _tokenIds[token] = id;
            starts.Add((token, id));
            // Continuation pieces are keyed without their prefix so a lookup needs no "##" + span copy.
            if (prefix.Length > 0 && token.Length > prefix.Length && token.StartsWith(prefix, StringComparison.Ordinal))
                continuations.Add((token[prefix.Length..], id));
        }

        _starts = new SpanVocabulary(starts);
        _continuations = new SpanVocabulary(continuations);

        UnkId = RequireToken(settings.UnkToken, "unknown");
        ClsId = RequireToken(settings.ClsToken, "classification");
        SepId = RequireToken(settings.SepToken, "separator");
        // [PAD] is only written as padding; vocabularies without one pad with 0 like HF's default.
        PadId = TokenToId(settings.PadToken) ?? 0;

        var added = new List<(string, int)>();
        foreach (string special in (string[])[settings.UnkToken, settings.ClsToken, settings.SepToken, settings.PadToken, settings.MaskToken])
        {
            if (TokenToId(special) is { } specialId)
                added.Add((special, specialId));
        }

        foreach (string token in settings.AddedTokens)
        {
            added.Add((token, TokenToId(token)
                ?? throw new DiscoException($"added token '{token}' is not in the vocabulary")));
        }

        _addedTokens = new AddedTokenMatcher(added);

        _asciiIds = new int[128];
        for (int c = 0; c < 128; c++)
        {
            char normalized = LowerCase ? char.ToLowerInvariant((char)c) : (char)c;
            _asciiIds[c] = _starts.TryGetValue([normalized], out int id) ? id : UnkId;
        }
    }

    /// <summary>The tokens by id.</summary>
    public IReadOnlyList<string> Vocabulary => _vocabulary;

    public int VocabularySize => _vocabulary.Length;

    /// <summary>Whether text is lowercased (HF's do_lower_case).</summary>
    public bool LowerCase { get; }

    /// <summary>Whether accents are removed (NFD, then category Mn dropped).</summary>
    public bool StripAccents { get; }

    /// <summary>tokenizer_config.json's model_max_length (512 when absent).</summary>
    public int ModelMaxLength { get; }

    public int UnkId { get; }

    public int ClsId { get; }

    public int SepId { get; }

    public int PadId { get; }

    /// <summary>Tokens split out of raw text before normalization (special and added tokens).</summary>
    public IReadOnlyList<string> SpecialTokens => [.. _addedTokens.Tokens.Select(t => t.Text)];

    /// <summary>
    /// Loads a HuggingFace tokenizer directory: tokenizer.json when present (as BertTokenizerFast does),
    /// otherwise vocab.txt, with tokenizer_config.json and special_tokens_map.json settings.
    /// </summary>
    public static WordPieceTokenizer FromDirectory(string modelDir) => TokenizerDirectory.Load(modelDir);

    /// <summary>A tokenizer over an in-memory vocabulary (id = position); special tokens use BERT's names.</summary>
    public static WordPieceTokenizer FromVocabulary(IEnumerable<string> tokens, bool lowerCase = true) =>
        Create(tokens, new WordPieceSettings { LowerCase = lowerCase });

    /// <summary>A tokenizer over an in-memory vocabulary (id = position) with explicit settings (default BertTokenizer's).</summary>
    public static WordPieceTokenizer Create(IEnumerable<string> vocabulary, WordPieceSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        return new WordPieceTokenizer([.. vocabulary], settings ?? new WordPieceSettings());
    }

    /// <summary>A tokenizer over a vocab.txt file (one token per line, id = line number) with explicit settings.</summary>
    public static WordPieceTokenizer Create(string vocabPath, WordPieceSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(vocabPath);
        if (!File.Exists(vocabPath))
            throw new DiscoException($"{vocabPath}: file not found");
        return new WordPieceTokenizer(TokenizerDirectory.ReadVocabTxt(vocabPath), settings ?? new WordPieceSettings());
    }

    /// <summary>A tokenizer over a vocab.txt stream (one token per line, id = line number) with explicit settings.</summary>
    public static WordPieceTokenizer Create(Stream vocab, WordPieceSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        using var reader = new StreamReader(vocab, leaveOpen: true);
        return new WordPieceTokenizer(TokenizerDirectory.ReadVocabTxt(reader, "vocabulary stream"), settings ?? new WordPieceSettings());
    }

    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _tokenIds.TryGetValue(token, out int id) ? id : null;
    }

    public string IdToToken(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, _vocabulary.Length);
        return _vocabulary[id];
    }

    /// <summary>
    /// <see cref="Encode"/> of each text, in order, unpadded: the inputs of every SPLADE encoder
    /// (TorchSharp, ONNX Runtime, IDF table) and of <see cref="EncodeBatch"/>.
    /// </summary>
    public int[][] EncodeRows(IReadOnlyList<string> texts, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var ids = new int[texts.Count][];
        for (var i = 0; i < ids.Length; i++)
            ids[i] = Encode(texts[i] ?? throw new ArgumentException($"text {i} is null", nameof(texts)), maxLength);
        return ids;
    }

    /// <summary>
    /// Checks already tokenized inputs before they reach a model: no null or empty sequence, every id
    /// below <paramref name="vocabularySize"/> (the model's, which may exceed the tokenizer's).
    /// </summary>
    public static void CheckTokenIds(IReadOnlyList<int[]> tokenIds, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);
        for (var i = 0; i < tokenIds.Count; i++)
        {
            var row = tokenIds[i] ?? throw new ArgumentException($"sequence {i} is null", nameof(tokenIds));
            if (row.Length == 0)
                throw new ArgumentException($"sequence {i} is empty; it needs at least [CLS] and [SEP]", nameof(tokenIds));
            foreach (var id in row)
            {
                if ((uint)id >= (uint)vocabularySize)
                    throw new ArgumentException($"sequence {i} has token id {id}, outside the vocabulary (0..{vocabularySize - 1})", nameof(tokenIds));
            }
        }
    }

    /// <summary>
    /// <c>[CLS] pieces [SEP]</c>, keeping the first <paramref name="maxLength"/> − 2 pieces (HF's right
    /// truncation for a single sequence).
    /// </summary>
    public int[] Encode(string text, int maxLength = 512)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var scratch = t_scratch ??= new Scratch();
        scratch.Count = 0;
        scratch.Add(ClsId);
        AppendText(text, scratch, maxLength - 1);
        scratch.Add(SepId);
        return scratch.Ids.AsSpan(0, scratch.Count).ToArray();
    }

    /// <summary>
    /// A cross-encoder's pair <c>[CLS] first [SEP] second [SEP]</c> in at most <paramref name="maxLength"/>
    /// tokens. When too long, the second text (the passage) is cut first, from the right; the first
    /// (the query) is cut, from the right, only once the second is empty. (HuggingFace's
    /// <c>only_second</c> fails instead in that case; a long conversation keeps its newest turns,
    /// which come first in the flattened text.)
    /// </summary>
    /// <param name="firstSegmentLength">Tokens of token type 0: [CLS], the first text and its [SEP]; the rest have type 1.</param>
    public int[] EncodePair(string first, string second, int maxLength, out int firstSegmentLength)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 3);
        var scratch = t_scratch ??= new Scratch();
        scratch.Count = 0;
        scratch.Add(ClsId);
        // The first text may take everything but the three special tokens.
        AppendText(first, scratch, maxLength - 2);
        scratch.Add(SepId);
        firstSegmentLength = scratch.Count;
        AppendText(second, scratch, maxLength - 1);
        scratch.Add(SepId);
        return scratch.Ids.AsSpan(0, scratch.Count).ToArray();
    }

    /// <summary>Encodes each text and pads the rows to the longest one with [PAD]; mask 1 on real tokens.</summary>
    public TokenBatch EncodeBatch(IReadOnlyList<string> texts, int maxLength)
    {
        var rows = EncodeRows(texts, maxLength);
        var longest = rows.Length == 0 ? 0 : rows.Max(r => r.Length);

        var ids = new long[rows.Length * longest];
        var mask = new long[ids.Length];
        var lengths = new int[rows.Length];
        if (PadId != 0)
            ids.AsSpan().Fill(PadId);
        for (int i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            lengths[i] = row.Length;
            var target = ids.AsSpan(i * longest, row.Length);
            for (int j = 0; j < row.Length; j++)
                target[j] = row[j];
            mask.AsSpan(i * longest, row.Length).Fill(1);
        }

        return new TokenBatch(ids, mask, rows.Length, longest, lengths);
    }

    /// <summary>The wordpieces of <paramref name="text"/> without [CLS]/[SEP] and without truncation.</summary>
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scratch = t_scratch ??= new Scratch();
        scratch.Count = 0;
        AppendText(text, scratch, int.MaxValue);
        var pieces = new string[scratch.Count];
        for (int i = 0; i < pieces.Length; i++)
            pieces[i] = _vocabulary[scratch.Ids[i]];
        return pieces;
    }

    private int RequireToken(string token, string role) =>
        TokenToId(token) ?? throw new DiscoException($"the vocabulary has no {role} token '{token}'");

    /// <summary>Appends ids until the buffer holds <paramref name="limit"/> of them (then truncates to it).</summary>
    private void AppendText(string text, Scratch scratch, int limit)
    {
        int position = 0;
        while (position < text.Length && scratch.Count < limit)
        {
            int hit = _addedTokens.Find(text, position, out int tokenId, out int tokenLength);
            int end = hit < 0 ? text.Length : hit;
            if (end > position)
                AppendSegment(text.AsSpan(position, end - position), scratch, limit);
            if (hit < 0)
                break;
            if (scratch.Count < limit)
                scratch.Add(tokenId);
            position = hit + tokenLength;
        }
    }

    /// <summary>
    /// HF's BasicTokenizer and WordpieceTokenizer fused into one pass over the text, writing each word into
    /// a reused buffer. Returns early once the limit is reached: later words cannot survive truncation.
    /// </summary>
    private void AppendSegment(ReadOnlySpan<char> text, Scratch scratch, int limit)
    {
        char[] word = scratch.Word;
        int length = 0;
        bool lowerCase = LowerCase;
        for (int i = 0; i < text.Length; i++)
        {
            // Fast path: a run of ASCII letters and digits found with a vectorized scan. A run that is a
            // whole word is looked up where it lies; only runs needing lowercasing or joining are copied.
            int run = text[i..].IndexOfAnyExcept(lowerCase ? AsciiLowerWordChars : AsciiWordChars);
            if (run < 0)
                run = text.Length - i;
            bool needsLowering = false;
            if (lowerCase && i + run < text.Length && char.IsAsciiLetterUpper(text[i + run]))
            {
                int more = text[(i + run)..].IndexOfAnyExcept(AsciiWordChars);
                run = more < 0 ? text.Length - i : run + more;
                needsLowering = true;
            }

            if (run != 0)
            {
                var chars = text.Slice(i, run);
                i += run;
                bool wordEnds = i == text.Length || (text[i] < 128 && AsciiKinds[text[i]] != AsciiSkip);
                if (length == 0 && wordEnds && !needsLowering)
                {
                    AppendWordPieces(chars, scratch);
                    if (scratch.Count >= limit)
                    {
                        scratch.Count = limit;
                        return;
                    }
                }
                else
                {
                    while (length + run > word.Length)
                        word = scratch.GrowWord();
                    if (needsLowering)
                        Ascii.ToLower(chars, word.AsSpan(length), out _);
                    else
                        chars.CopyTo(word.AsSpan(length));
                    length += run;
                }

                if (i == text.Length)
                    break;
            }

            char c = text[i];
            if (c < 128)
            {
                switch (AsciiKinds[c])
                {
                    case AsciiSpace:
                        if (length > 0 && FlushWord(word, ref length, scratch, limit))
                            return;
                        break;
                    case AsciiPunctuation:
                        if (length > 0 && FlushWord(word, ref length, scratch, limit))
                            return;
                        scratch.Add(_asciiIds[c]);
                        if (scratch.Count >= limit)
                        {
                            scratch.Count = limit;
                            return;
                        }

                        break;
                    default:
                        // Control characters (HF's _is_control) vanish, joining their neighbours.
                        break;
                }

                continue;
            }

            int start = i;
            int codePoint;
            if (char.IsSurrogate(c))
            {
                // A lone surrogate is category Cs, which HF's _is_control drops.
                if (!char.IsHighSurrogate(c) || i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                    continue;
                codePoint = char.ConvertToUtf32(c, text[i + 1]);
                i++;
            }
            else
            {
                codePoint = c;
            }

            if (codePoint == 0xFFFD)
                continue;
            switch (CharUnicodeInfo.GetUnicodeCategory(codePoint))
            {
                case UnicodeCategory.Control:
                case UnicodeCategory.Format:
                case UnicodeCategory.Surrogate:
                case UnicodeCategory.PrivateUse:
                case UnicodeCategory.OtherNotAssigned:
                    // HF's _is_control: every category starting with C (tab, CR, LF are ASCII, handled above).
                    continue;
                case UnicodeCategory.SpaceSeparator:
                case UnicodeCategory.LineSeparator:
                case UnicodeCategory.ParagraphSeparator:
                    // Zs is HF's _is_whitespace; Zl and Zp survive cleaning but Python's str.split() splits on them.
                    if (length > 0 && FlushWord(word, ref length, scratch, limit))
                        return;
                    continue;
                default:
                    break;
            }

            bool isolated = _tokenizeChineseChars && IsCjkIdeograph(codePoint);
            if (isolated && length > 0 && FlushWord(word, ref length, scratch, limit))
                return;

            ReadOnlySpan<char> normalized = _normalizer is null
                ? text.Slice(start, i - start + 1)
                : codePoint == 0x3A3 && lowerCase && IsFinalSigma(text, start, i + 1)
                    ? "ς"
                    : _normalizer.Normalize(codePoint);
            for (int k = 0; k < normalized.Length; k++)
            {
                char n = normalized[k];
                int width = char.IsHighSurrogate(n) && k + 1 < normalized.Length ? 2 : 1;
                if (IsPunctuation(normalized.Slice(k, width)))
                {
                    if (length > 0 && FlushWord(word, ref length, scratch, limit))
                        return;
                    word[0] = n;
                    if (width == 2)
                        word[1] = normalized[k + 1];
                    length = width;
                    if (FlushWord(word, ref length, scratch, limit))
                        return;
                }
                else
                {
                    if (length + width > word.Length)
                        word = scratch.GrowWord();
                    word[length++] = n;
                    if (width == 2)
                        word[length++] = normalized[k + 1];
                }

                k += width - 1;
            }

            if (isolated && length > 0 && FlushWord(word, ref length, scratch, limit))
                return;
        }

        if (length > 0)
            FlushWord(word, ref length, scratch, limit);
    }

    /// <summary>Wordpieces of the buffered word; true when the limit is reached.</summary>
    private bool FlushWord(char[] word, ref int length, Scratch scratch, int limit)
    {
        AppendWordPieces(word.AsSpan(0, length), scratch);
        length = 0;
        if (scratch.Count < limit)
            return false;
        scratch.Count = limit;
        return true;
    }

    /// <summary>Greedy longest-match-first, as HF's WordpieceTokenizer: any unmatched rest makes the whole word [UNK].</summary>
    private void AppendWordPieces(ReadOnlySpan<char> word, Scratch scratch)
    {
        if (word.Length > _maxInputCharsPerWord && CodePointCount(word) > _maxInputCharsPerWord)
        {
            scratch.Add(UnkId);
            return;
        }

        int mark = scratch.Count;
        int start = 0;
        while (start < word.Length)
        {
            var table = start == 0 ? _starts : _continuations;
            int end = Math.Min(word.Length, start + table.LongestKey);
            int id = -1;
            while (end > start)
            {
                if (table.TryGetValue(word[start..end], out id))
                    break;
                id = -1;
                end--;
                if (end > start && char.IsLowSurrogate(word[end]))
                    end--;
            }

            if (id < 0)
            {
                scratch.Count = mark;
                scratch.Add(UnkId);
                return;
            }

            scratch.Add(id);
            start = end;
        }
    }

    private static int CodePointCount(ReadOnlySpan<char> word)
    {
        int count = word.Length;
        foreach (char c in word)
        {
            if (char.IsLowSurrogate(c))
                count--;
        }

        return count;
    }

    /// <summary>HF's _is_punctuation: the four ASCII symbol ranges (so $, +, ^ count) and every category P*.</summary>
    private static bool IsPunctuation(ReadOnlySpan<char> character)
    {
        if (character.Length == 1 && character[0] < 128)
            return AsciiKinds[character[0]] == AsciiPunctuation;
        int codePoint = character.Length == 2 ? char.ConvertToUtf32(character[0], character[1]) : character[0];
        return CharUnicodeInfo.GetUnicodeCategory(codePoint) is UnicodeCategory.ConnectorPunctuation
            or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>HF's _is_chinese_char: the CJK Unified Ideograph blocks (not kana, hangul or CJK punctuation).</summary>
    private static bool IsCjkIdeograph(int cp) =>
        cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF)
            or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B820 and <= 0x2CEAF)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);

    /// <summary>
    /// Python lowercases a capital sigma at the end of a word to final sigma (ς). Approximated by its
    /// neighbours in the raw text: a letter before and no letter after.
    /// </summary>
    private static bool IsFinalSigma(ReadOnlySpan<char> text, int start, int next) =>
        start > 0 && char.IsLetter(text[start - 1]) && (next >= text.Length || !char.IsLetter(text[next]));

    private static byte[] BuildAsciiKinds()
    {
        var kinds = new byte[128];
        for (int c = 0; c < 128; c++)
        {
            kinds[c] = c switch
            {
                '\t' or '\n' or '\r' or ' ' => AsciiSpace,
                < 32 or 127 => AsciiSkip,
                (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126) => AsciiPunctuation,
                _ => AsciiWord,
            };
        }

        return kinds;
    }

    /// <summary>Per-thread reusable buffers, so encoding allocates only the result.</summary>
    private sealed class Scratch
    {
        public int[] Ids = new int[1024];
        public char[] Word = new char[256];
        public int Count;

        public void Add(int id)
        {
            if (Count == Ids.Length)
                Array.Resize(ref Ids, Ids.Length * 2);
            Ids[Count++] = id;
        }

        public char[] GrowWord()
        {
            Array.Resize(ref Word, Word.Length * 2);
            return Word;
        }
    }
}

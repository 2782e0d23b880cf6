namespace Disco.Text;

/// <summary>
/// Everything that shapes a WordPiece tokenizer besides its vocabulary, as read from HuggingFace's
/// tokenizer_config.json / tokenizer.json (<see cref="WordPieceTokenizer.FromDirectory"/>) or given
/// to <see cref="WordPieceTokenizer.Create(string, WordPieceSettings?)"/>. Defaults are BertTokenizer's.
/// </summary>
public sealed record WordPieceSettings
{
    public bool LowerCase { get; init; } = true;

    /// <summary>HF's strip_accents: null means "follow LowerCase".</summary>
    public bool? StripAccents { get; init; }

    public bool TokenizeChineseChars { get; init; } = true;

    public string UnkToken { get; init; } = "[UNK]";

    public string ClsToken { get; init; } = "[CLS]";

    public string SepToken { get; init; } = "[SEP]";

    public string PadToken { get; init; } = "[PAD]";

    public string MaskToken { get; init; } = "[MASK]";

    public string ContinuingSubwordPrefix { get; init; } = "##";

    public int MaxInputCharsPerWord { get; init; } = 100;

    public int ModelMaxLength { get; init; } = 512;

    /// <summary>Further tokens split out of raw text like the special ones (tokenizer.json added_tokens, additional_special_tokens).</summary>
    public IReadOnlyList<string> AddedTokens { get; init; } = [];
}

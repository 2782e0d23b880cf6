using System.Text;

namespace Disco.Core.Conversations;

/// <summary>
/// Turns a conversation into the single query text DiSCo encodes, newest first:
/// <c>q_n [SEP] a_{n-1} [SEP] q_{n-1} ... [SEP] a_1 [SEP] q_1</c>. Newest first matters because the
/// tokenizer truncates on the right, so the oldest turns are the ones cut.
/// </summary>
/// <remarks>
/// The reference (parse_topiocqa.py) splits TopiOCQA's AllHistory string on "[SEP]" and reverses it;
/// building from turns instead keeps a literal "[SEP]" inside a question in place (it still becomes
/// the separator id when tokenized). Parts are trimmed and empty or whitespace-only answers are left
/// out, as in the reference data where missing answers produce no segment.
/// </remarks>
public static class ConversationFlattener
{
    public const string Separator = " [SEP] ";

    public static string Flatten(Conversation conversation, FlatteningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        options ??= new FlatteningOptions();
        if (options.MaxPreviousTurns is < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxPreviousTurns, "MaxPreviousTurns must not be negative");
        var turns = conversation.Turns;
        if (turns.Count == 0)
            throw new ArgumentException($"conversation '{conversation.Id}' has no turns", nameof(conversation));

        var text = new StringBuilder();
        Append(text, turns[^1].Question);
        if (options.Mode == FlatteningMode.LastQuestion)
            return text.ToString();

        int previous = turns.Count - 1;
        int oldest = options.MaxPreviousTurns is { } max ? Math.Max(0, previous - max) : 0;
        for (int i = previous - 1; i >= oldest; i--)
        {
            if (options.Mode == FlatteningMode.Full)
                Append(text, turns[i].Answer);
            Append(text, turns[i].Question);
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, string? part)
    {
        if (string.IsNullOrWhiteSpace(part))
            return;
        if (text.Length > 0)
            text.Append(Separator);
        text.Append(part.AsSpan().Trim());
    }
}

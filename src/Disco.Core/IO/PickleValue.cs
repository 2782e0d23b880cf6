namespace Disco.Core.IO;

/// <summary>
/// A value on <see cref="RestrictedUnpickler"/>'s stack: an int, float or string as read, or a list
/// or dict as the front end built it. A struct, so a streamed list of 25M ints boxes nothing.
/// </summary>
public readonly struct PickleValue
{
    private readonly object? _reference;

    private PickleValue(PickleKind kind, long integer, double real, object? reference, long memo)
    {
        Kind = kind;
        Number = integer;
        Real = real;
        _reference = reference;
        Memo = memo;
    }

    public PickleKind Kind { get; }

    /// <summary>The value of an <see cref="PickleKind.Number"/>.</summary>
    public long Number { get; }

    /// <summary>The value of a <see cref="PickleKind.Real"/>.</summary>
    public double Real { get; }

    /// <summary>The value of a <see cref="PickleKind.Str"/>.</summary>
    public string Text => Kind == PickleKind.Str ? (string)_reference! : throw new InvalidOperationException($"a {Kind} is not a string");

    /// <summary>The list or dict the front end made for a <see cref="PickleKind.List"/> or <see cref="PickleKind.Dict"/>.</summary>
    public object Container => Kind is PickleKind.List or PickleKind.Dict ? _reference! : throw new InvalidOperationException($"a {Kind} is not a container");

    /// <summary>The memo slot this stack entry was stored under (PUT/MEMOIZE), -1 when none.</summary>
    internal long Memo { get; }

    public static PickleValue FromString(string text) => new(PickleKind.Str, 0, 0, text ?? throw new ArgumentNullException(nameof(text)), -1);

    public static PickleValue FromInt(long value) => new(PickleKind.Number, value, 0, null, -1);

    internal static PickleValue FromFloat(double value) => new(PickleKind.Real, 0, value, null, -1);

    internal static PickleValue MarkValue => new(PickleKind.Mark, 0, 0, null, -1);

    internal static PickleValue Of(PickleKind kind, object container) => new(kind, 0, 0, container, -1);

    internal PickleValue WithMemo(long memo) => new(Kind, Number, Real, _reference, memo);
}

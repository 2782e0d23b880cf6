namespace Disco.Core.IO;

/// <summary>What a value on <see cref="RestrictedUnpickler"/>'s stack is.</summary>
public enum PickleKind
{
    /// <summary>A MARK: where the items of the next list, dict, APPENDS or SETITEMS begin.</summary>
    Mark,

    /// <summary>A list, as the front end built it (<see cref="PickleValue.Container"/>).</summary>
    List,

    /// <summary>A dict, as the front end built it (<see cref="PickleValue.Container"/>).</summary>
    Dict,

    /// <summary>An int of at most 64 bits (<see cref="PickleValue.Number"/>).</summary>
    Number,

    /// <summary>A float (<see cref="PickleValue.Real"/>).</summary>
    Real,

    /// <summary>A text string (<see cref="PickleValue.Text"/>).</summary>
    Str,
}

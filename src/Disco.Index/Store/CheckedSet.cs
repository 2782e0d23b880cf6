using System.Runtime.CompilerServices;

namespace Disco.Index;

/// <summary>
/// The items (a section's terms) that passed a check done once per open index: one bit each, read
/// with a volatile load and set with an atomic or, so searches on several threads may test and add
/// at once (two may check the same item, which is harmless; bits are only ever set). A struct
/// holding only the bit array, so a test costs what the bare array's did.
/// </summary>
internal readonly struct CheckedSet(int count)
{
    private readonly ulong[] _bits = new ulong[(count + 63) / 64];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(int item) => (Volatile.Read(ref _bits[item >> 6]) & (1UL << item)) != 0;

    public void Add(int item) => Interlocked.Or(ref _bits[item >> 6], 1UL << item);
}

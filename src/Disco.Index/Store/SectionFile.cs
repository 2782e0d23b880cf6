using System.Runtime.CompilerServices;

namespace Disco.Index;

/// <summary>One mapped file of an index section and the check of its chunks (<see cref="IndexSection.Open"/>).</summary>
internal sealed record SectionFile(MappedFile File, ChunkVerifier Check)
{
    /// <summary>
    /// Checks bytes <c>[offset, end)</c> of the file's data (offsets count from the first byte
    /// after the header, as the section's pointers do) unless they already passed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Ensure(long offset, long end) => Check.Ensure(offset + IndexFormat.HeaderBytes, end + IndexFormat.HeaderBytes);
}

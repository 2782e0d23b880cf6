using System.Runtime.CompilerServices;

namespace Disco.Index;

/// <summary>
/// One stored impact width, as a type argument: search loops are compiled once per width (the JIT
/// specializes generic code for struct arguments), so they have no per-posting dispatch.
/// </summary>
internal unsafe interface IImpactWidth
{
    static abstract int Bytes { get; }

    /// <summary>The decoded impact of posting <paramref name="i"/> of a block's impact array, exactly as every reader decodes it.</summary>
    static abstract float Read(byte* impacts, int i, float scale);
}

internal readonly unsafe struct Float32Impacts : IImpactWidth
{
    public static int Bytes => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Read(byte* impacts, int i, float scale) => Unsafe.ReadUnaligned<float>(impacts + (4L * i));
}

internal readonly unsafe struct UInt16Impacts : IImpactWidth
{
    public static int Bytes => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Read(byte* impacts, int i, float scale) => ImpactCodec.Decode(Unsafe.ReadUnaligned<ushort>(impacts + (2L * i)), scale);
}

internal readonly unsafe struct UInt8Impacts : IImpactWidth
{
    public static int Bytes => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Read(byte* impacts, int i, float scale) => ImpactCodec.Decode(impacts[i], scale);
}

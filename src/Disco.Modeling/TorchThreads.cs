using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// libtorch's intra-op thread count is one setting for the whole process, so it is set here,
/// explicitly and once, by the host (the CLI from its <c>--threads</c>), never by an encoder:
/// two encoders in one process would otherwise overwrite each other's choice.
/// </summary>
public static class TorchThreads
{
    /// <summary>libtorch's current intra-op thread count.</summary>
    public static int Current => get_num_threads();

    /// <summary>Sets libtorch's intra-op threads for the process.</summary>
    public static void Set(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        set_num_threads(threads);
    }
}

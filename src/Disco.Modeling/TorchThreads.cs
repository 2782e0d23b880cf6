using Disco.Core.Vectors;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// libtorch's intra-op thread count. It is one setting for the whole process, so the host sets it
/// (the CLI from <c>--threads</c>, once per verb), never an encoder: two encoders in one process
/// would otherwise overwrite each other's choice. Where this library initializes TorchSharp for
/// encoding or training (checkpoint loads), <see cref="EnsureConfigured"/> applies
/// <see cref="Default"/> if the host has set nothing, so libtorch never runs on its own default
/// (physical cores, as MKL counts them), which can differ from the ONNX path's and the docs'.
/// <para>libtorch keeps the count per thread: a thread takes the process value when it first runs
/// a parallel operation, and <see cref="Set"/> also applies it to the calling thread. Float sums
/// depend on the count, so bit-exact work (training, resume) sets it on its own thread.</para>
/// </summary>
public static class TorchThreads
{
    private static int s_configured;

    /// <summary>The count used when none is given: <see cref="EncoderDefaults.Threads"/> (one per core), as ONNX Runtime's.</summary>
    public static int Default => EncoderDefaults.Threads;

    /// <summary>libtorch's intra-op thread count on the calling thread.</summary>
    public static int Current => get_num_threads();

    /// <summary>Sets libtorch's intra-op threads for the process and the calling thread.</summary>
    public static void Set(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Volatile.Write(ref s_configured, threads);
        set_num_threads(threads);
    }

    /// <summary>Applies <see cref="Default"/> unless a count was set in this process already.</summary>
    public static void EnsureConfigured()
    {
        if (Interlocked.CompareExchange(ref s_configured, Default, 0) == 0)
            set_num_threads(Default);
    }
}

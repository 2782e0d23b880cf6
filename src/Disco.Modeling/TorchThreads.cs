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
/// depend on the count, so bit-exact work (training, resume) sets it on its own thread, and the
/// encoders call <see cref="ApplyToCurrentThread"/> before each forward pass: a pool thread that
/// first ran libtorch before the host changed the count would otherwise keep the old one, and a
/// server would score the same request differently depending on the thread that serves it.</para>
/// </summary>
public static class TorchThreads
{
    // Serialises writes of libtorch's process value, so that a thread catching up with the
    // configured count never puts back a count another thread has just replaced.
    private static readonly Lock s_gate = new();
    private static int s_configured;

    /// <summary>The count used when none is given: <see cref="EncoderDefaults.Threads"/> (one per core), as ONNX Runtime's.</summary>
    public static int Default => EncoderDefaults.Threads;

    /// <summary>libtorch's intra-op thread count on the calling thread.</summary>
    public static int Current => get_num_threads();

    /// <summary>Sets libtorch's intra-op threads for the process and the calling thread.</summary>
    public static void Set(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        lock (s_gate)
        {
            Volatile.Write(ref s_configured, threads);
            set_num_threads(threads);
        }
    }

    /// <summary>Applies <see cref="Default"/> unless a count was set in this process already.</summary>
    public static void EnsureConfigured()
    {
        lock (s_gate)
        {
            if (Volatile.Read(ref s_configured) == 0)
            {
                Volatile.Write(ref s_configured, Default);
                set_num_threads(Default);
            }
        }
    }

    /// <summary>
    /// Gives the calling thread the process's configured count if it holds another one (it ran
    /// libtorch before the last <see cref="Set"/>); nothing when no count was configured. Cheap
    /// when they agree: one read of the thread's count.
    /// </summary>
    public static void ApplyToCurrentThread()
    {
        var configured = Volatile.Read(ref s_configured);
        if (configured == 0 || get_num_threads() == configured)
            return;
        lock (s_gate)
            set_num_threads(Volatile.Read(ref s_configured));
    }
}

using System.Runtime.InteropServices;

namespace Disco.Index;

/// <summary>
/// Moves a complete index from its temporary directory to its place. Where the platform can
/// (Linux: <c>renameat2(RENAME_EXCHANGE)</c>), an existing index is exchanged with the new one in
/// one atomic step, so its path never stops naming a complete index; elsewhere the old index is
/// first moved aside to <c>DIR.old-&lt;guid&gt;</c>, which readers treat as a swap in progress
/// (<see cref="SparseIndex.Open"/> waits and retries) and which survives a crash between the two moves.
/// </summary>
internal static partial class IndexSwap
{
    public static void MoveIntoPlace(string temp, string target)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(temp, target);
            return;
        }
        if (TryExchange(temp, target))
        {
            // temp now holds the old index. Readers that opened it keep their maps (the files
            // live on until unmapped); a failed delete leaves a directory a later build can remove.
            DeleteQuietly(temp);
            return;
        }
        var old = $"{target}{Core.IO.AtomicDirectory.OldInfix}{Guid.NewGuid():N}";
        Directory.Move(target, old);
        Directory.Move(temp, target);
        DeleteQuietly(old);
    }

    private static bool TryExchange(string a, string b)
    {
        if (!OperatingSystem.IsLinux())
            return false;
        try
        {
            return RenameAt2(AtCurrentDirectory, a, AtCurrentDirectory, b, RenameExchange) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // An old C library without renameat2 (glibc < 2.28): the two-move swap.
            return false;
        }
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private const int AtCurrentDirectory = -100;
    private const uint RenameExchange = 2;

    [LibraryImport("libc", EntryPoint = "renameat2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int RenameAt2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);
}

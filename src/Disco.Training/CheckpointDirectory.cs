using Disco.Core.IO;

namespace Disco.Training;

/// <summary>Writes a checkpoint directory beside its target and swaps it into place.</summary>
public static class CheckpointDirectory
{
    /// <summary>
    /// Calls <paramref name="write"/> on a temporary sibling of <paramref name="directory"/>, then
    /// swaps it in by renames (<see cref="AtomicDirectory.Replace(string, Action{string})"/>): the
    /// old folder is moved aside before the new one takes its name and deleted only after, so an
    /// interrupted save leaves the complete old or the complete new checkpoint, never a half one,
    /// and never a moment with both deleted. Leftovers of earlier interrupted saves are removed.
    /// </summary>
    public static void Replace(string directory, Action<string> write) => AtomicDirectory.Replace(directory, write);
}

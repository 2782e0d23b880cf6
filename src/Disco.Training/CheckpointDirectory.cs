namespace Disco.Training;

/// <summary>Writes a checkpoint directory beside its target and renames it into place.</summary>
public static class CheckpointDirectory
{
    /// <summary>
    /// Calls <paramref name="write"/> on a temporary sibling of <paramref name="directory"/>, then
    /// replaces <paramref name="directory"/> with it, so an interrupted save never leaves a half
    /// checkpoint under the final name.
    /// </summary>
    public static void Replace(string directory, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(write);
        var temporary = directory + ".tmp";
        if (Directory.Exists(temporary))
            Directory.Delete(temporary, recursive: true);
        Directory.CreateDirectory(temporary);
        write(temporary);
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
        Directory.Move(temporary, directory);
    }
}

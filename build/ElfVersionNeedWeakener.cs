// Compiled twice: as an MSBuild inline task (build/TorchSharpNative.targets) and into the
// Modeling tests, which call Weaken directly. Keep it self-contained: no usings beyond the BCL
// and MSBuild's Task base, and only netstandard2.0 APIs (the inline task factory compiles
// against them).
#pragma warning disable CA1050, IDE0005 // the inline task factory needs a global type and explicit usings
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Marks one symbol-version requirement (for example GLIBCXX_3.4.32) of an ELF shared library as
/// weak (VER_FLG_WEAK), so glibc's loader accepts a host libstdc++ that lacks that version tag.
/// TorchSharp's libLibTorchSharp.so needs GLIBCXX_3.4.32 for one symbol
/// (std::ios_base_library_init) that it never relocates, so weakening the need is safe.
/// </summary>
public sealed class ElfVersionNeedWeakener : Microsoft.Build.Utilities.Task
{
    private const ushort VerFlagWeak = 0x2;
    private const uint ShtGnuVerneed = 0x6ffffffe;

    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    [Required]
    public string Version { get; set; } = "";

    /// <summary>Paths of libstdc++ to probe; when one of them defines Version, nothing is patched.</summary>
    public ITaskItem[] HostLibraries { get; set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        foreach (var lib in HostLibraries)
        {
            if (File.Exists(lib.ItemSpec) && FileDefinesVersion(lib.ItemSpec, Version))
            {
                Log.LogMessage(MessageImportance.Low, $"{lib.ItemSpec} defines {Version}; no patch needed.");
                return true;
            }
        }

        foreach (var file in Files)
        {
            if (!File.Exists(file.ItemSpec))
                continue;
            var outcome = Weaken(file.ItemSpec, Version);
            Log.LogMessage(MessageImportance.Normal, $"{file.ItemSpec}: {outcome}");
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>True when the library's bytes contain the version name as a string.</summary>
    public static bool FileDefinesVersion(string path, string version)
    {
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        var bytes = File.ReadAllBytes(path);
        for (var i = 0; i + needle.Length <= bytes.Length; i++)
        {
            var j = 0;
            while (j < needle.Length && bytes[i + j] == needle[j])
                j++;
            if (j == needle.Length)
                return true;
        }
        return false;
    }

    /// <summary>
    /// Sets VER_FLG_WEAK on every Vernaux entry named <paramref name="version"/>. Writes through a
    /// temporary file and a rename, so a hard link into the NuGet cache is never modified.
    /// Returns "patched", "already weak" or "no such version need".
    /// </summary>
    public static string Weaken(string path, string version)
    {
        var bytes = File.ReadAllBytes(path);
        var changed = 0;
        var found = 0;
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            throw new InvalidDataException($"{path}: not an ELF file");
        if (bytes[4] != 2 || bytes[5] != 1)
            throw new InvalidDataException($"{path}: only 64-bit little-endian ELF is supported");

        var shoff = (long)BitConverter.ToUInt64(bytes, 0x28);
        int shentsize = BitConverter.ToUInt16(bytes, 0x3A);
        int shnum = BitConverter.ToUInt16(bytes, 0x3C);
        for (var i = 0; i < shnum; i++)
        {
            var sh = checked((int)(shoff + (long)i * shentsize));
            if (BitConverter.ToUInt32(bytes, sh + 4) != ShtGnuVerneed)
                continue;
            var offset = checked((int)BitConverter.ToUInt64(bytes, sh + 0x18));
            var link = (int)BitConverter.ToUInt32(bytes, sh + 0x28);
            var info = (int)BitConverter.ToUInt32(bytes, sh + 0x2C);
            var count = info > 0 ? info : int.MaxValue;
            var strSh = checked((int)(shoff + (long)link * shentsize));
            var strOffset = checked((int)BitConverter.ToUInt64(bytes, strSh + 0x18));

            var need = offset;
            for (var n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(bytes, need + 2);
                var aux = need + (int)BitConverter.ToUInt32(bytes, need + 8);
                for (var a = 0; a < auxCount; a++)
                {
                    var nameOffset = strOffset + (int)BitConverter.ToUInt32(bytes, aux + 8);
                    var end = Array.IndexOf(bytes, (byte)0, nameOffset);
                    var name = Encoding.ASCII.GetString(bytes, nameOffset, end - nameOffset);
                    if (name == version)
                    {
                        found++;
                        var flags = BitConverter.ToUInt16(bytes, aux + 4);
                        if ((flags & VerFlagWeak) == 0)
                        {
                            var weak = (ushort)(flags | VerFlagWeak);
                            bytes[aux + 4] = (byte)(weak & 0xff);
                            bytes[aux + 5] = (byte)(weak >> 8);
                            changed++;
                        }
                    }
                    var nextAux = BitConverter.ToUInt32(bytes, aux + 12);
                    if (nextAux == 0)
                        break;
                    aux += (int)nextAux;
                }
                var next = BitConverter.ToUInt32(bytes, need + 12);
                if (next == 0)
                    break;
                need += (int)next;
            }
        }

        if (found == 0)
            return "no such version need";
        if (changed == 0)
            return "already weak";
        var temp = path + ".weaken.tmp";
        File.WriteAllBytes(temp, bytes);
        File.Delete(path);
        File.Move(temp, path);
        return "patched";
    }
}

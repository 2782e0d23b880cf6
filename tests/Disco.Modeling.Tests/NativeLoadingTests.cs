using System.Diagnostics;
using Disco.TestSupport;
using TorchSharp;

namespace Disco.Modeling.Tests;

public class NativeLoadingTests
{
    private static string OutputLibrary => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void Libtorch_loads_and_computes()
    {
        using var t = torch.arange(4, dtype: torch.float32);
        Assert.Equal(6f, t.sum().item<float>());
    }

    [Fact]
    public void Build_output_marks_the_glibcxx_need_weak_when_the_host_lacks_it()
    {
        Assert.True(File.Exists(OutputLibrary), $"missing {OutputLibrary}");
        var hostHasIt = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
            .Any(p => File.Exists(p) && ElfVersionNeedWeakener.FileDefinesVersion(p, "GLIBCXX_3.4.32"));
        var flags = ReadElfVersionFlags(OutputLibrary, "GLIBCXX_3.4.32");
        if (hostHasIt)
            Assert.DoesNotContain("WEAK", flags, StringComparison.Ordinal);
        else
            Assert.Contains("WEAK", flags, StringComparison.Ordinal);
    }

    [Fact]
    public void Weakening_is_idempotent_and_touches_only_the_flag()
    {
        using var dir = new TempDirectory();
        var nugetCopy = FindPristineLibrary();
        var copy = dir.File("lib.so");
        File.Copy(nugetCopy, copy);
        var before = File.ReadAllBytes(copy);
        Assert.Equal("patched", ElfVersionNeedWeakener.Weaken(copy, "GLIBCXX_3.4.32"));
        var once = File.ReadAllBytes(copy);
        Assert.Equal("already weak", ElfVersionNeedWeakener.Weaken(copy, "GLIBCXX_3.4.32"));
        Assert.Equal(once, File.ReadAllBytes(copy));
        Assert.Equal(before.Length, once.Length);
        var differing = Enumerable.Range(0, before.Length).Where(i => before[i] != once[i]).ToList();
        Assert.Single(differing);
        Assert.Equal(before[differing[0]] | 0x2, once[differing[0]]);
        Assert.Contains("WEAK", ReadElfVersionFlags(copy, "GLIBCXX_3.4.32"), StringComparison.Ordinal);
        Assert.Equal("no such version need", ElfVersionNeedWeakener.Weaken(copy, "GLIBCXX_9.9.99"));
    }

    private static string FindPristineLibrary()
    {
        var home = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var lib = Path.Combine(home, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(lib), $"missing {lib}");
        return lib;
    }

    /// <summary>readelf (binutils) is the independent reader of the version-need table.</summary>
    private static string ReadElfVersionFlags(string path, string version)
    {
        var psi = new ProcessStartInfo("readelf", ["-V", "-W", path]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.Contains("Name: " + version, StringComparison.Ordinal));
        Assert.NotNull(line);
        return line;
    }
}

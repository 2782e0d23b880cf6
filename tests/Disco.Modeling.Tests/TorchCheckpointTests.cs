using Disco.Core;
using Disco.TestSupport;
using static TorchSharp.torch;

namespace Disco.Modeling.Tests;

/// <summary>
/// pytorch_model.bin files are untrusted pickles: nothing in them executes, every size is checked
/// against the archive before allocation, and anything but a state dict of tensors is a one-line error.
/// </summary>
public sealed class TorchCheckpointTests
{
    private static string Refused(TempDirectory dir, TorchZipWriter writer, bool stop = true)
    {
        var path = dir.File("pytorch_model.bin");
        writer.Save(path, stop);
        var e = Assert.ThrowsAny<DiscoException>(() => TorchCheckpointFile.Read(path));
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void TheFixtureMadeByTorchSaveReadsAsTheSafetensorsWeights()
    {
        var bin = TorchCheckpointFile.Read(Path.Combine(Fixtures.TinySpladeBin, "pytorch_model.bin"));
        var safe = SafetensorsFile.Read(Path.Combine(Fixtures.TinySplade, "model.safetensors"));
        Assert.Equal(safe.Keys.Where(k => bin.ContainsKey(k)).Count(), bin.Count);
        foreach (var (name, tensor) in bin)
        {
            Assert.Equal(safe[name].shape, tensor.shape);
            Assert.Equal(safe[name].data<float>().ToArray(), tensor.data<float>().ToArray());
            tensor.Dispose();
        }
        foreach (var t in safe.Values)
            t.Dispose();
    }

    [Fact]
    public void HandWrittenStateDictsWithViewsOfSharedStoragesRead()
    {
        using var dir = new TempDirectory();
        var writer = new TorchZipWriter();
        writer.Floats("a", [1, 2, 3, 4, 5, 6], [2, 3]);
        // b: the transpose of a's storage; c: its second row (offset 3).
        writer.Tensor("b", "0", 6, 0, [3, 2], [1, 3]);
        writer.Tensor("c", "0", 6, 3, [3], [1]);
        var path = dir.File("pytorch_model.bin");
        writer.Save(path);
        var tensors = TorchCheckpointFile.Read(path);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, tensors["a"].data<float>().ToArray());
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, tensors["b"].data<float>().ToArray());
        Assert.Equal(new long[] { 3, 2 }, tensors["b"].shape);
        Assert.Equal(new float[] { 4, 5, 6 }, tensors["c"].data<float>().ToArray());
        foreach (var t in tensors.Values)
            t.Dispose();
    }

    [Theory]
    [InlineData("os", "system")]
    [InlineData("posix", "system")]
    [InlineData("builtins", "eval")]
    [InlineData("builtins", "exec")]
    [InlineData("subprocess", "Popen")]
    public void CodeInThePickleNeverRuns(string module, string function)
    {
        using var dir = new TempDirectory();
        var marker = dir.File("pwned");
        var writer = new TorchZipWriter();
        writer.Floats("a", [1], [1]);
        writer.Unicode("payload");
        writer.Global(module, function);
        writer.Op((byte)'(');
        writer.Unicode(module == "builtins" ? $"open('{marker}', 'w')" : $"touch {marker}");
        writer.Op((byte)'t', (byte)'R');
        var message = Refused(dir, writer);
        Assert.Contains("cannot read the pickled state dict", message, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void AnInertUnknownObjectIsNotATensor()
    {
        using var dir = new TempDirectory();
        var writer = new TorchZipWriter();
        writer.Unicode("payload");
        writer.Global("os", "system");
        writer.Op((byte)')', (byte)'R');
        Assert.Contains("entry 'payload' is a Python object os.system, not a tensor", Refused(dir, writer), StringComparison.Ordinal);
    }

    [Fact]
    public void ShapesStridesAndOffsetsMustStayInsideTheStorage()
    {
        using var dir = new TempDirectory();
        void Case(string expected, Action<TorchZipWriter> add)
        {
            var writer = new TorchZipWriter();
            writer.Storage("0", new byte[16]);
            add(writer);
            Assert.Contains(expected, Refused(dir, writer), StringComparison.Ordinal);
        }
        Case("reach element 999999999999 of a 4-element storage", w => w.Tensor("t", "0", 4, 0, [1_000_000, 1_000_000], [1_000_000, 1]));
        Case("reach element 4 of a 4-element storage", w => w.Tensor("t", "0", 4, 1, [4], [1]));
        Case("shape [4611686018427387904, 4611686018427387904] is too large", w => w.Tensor("t", "0", 4, 0, [1L << 62, 1L << 62], [1L << 62, 1]));
        Case("negative offset, size or stride", w => w.Tensor("t", "0", 4, -1, [2], [1]));
        Case("negative offset, size or stride", w => w.Tensor("t", "0", 4, 0, [-2, 2], [2, 1]));
        Case("negative offset, size or stride", w => w.Tensor("t", "0", 4, 3, [2], [-1]));
        Case("differ in length", w => w.Tensor("t", "0", 4, 0, [2, 2], [1]));
        Case("storage 0 should hold 1000000000000 FloatStorage elements but its archive entry has 16 bytes", w => w.Tensor("t", "0", 1_000_000_000_000, 0, [4], [1]));
        Case("storage 0 should hold 8 FloatStorage elements", w => w.Tensor("t", "0", 8, 0, [4], [1]));
        Case("storage 7 is not in the archive", w => w.Tensor("t", "7", 4, 0, [4], [1]));
        Case("storage key", w => w.Tensor("t", "../../../etc/passwd", 4, 0, [4], [1]));
        Case("unsupported storage type", w => w.Tensor("t", "0", 4, 0, [4], [1], storageType: "EvilStorage"));
        Case("nn.Parameter", w => w.Tensor("t", "0", 4, 0, [4], [1], rebuild: "_rebuild_parameter"));
    }

    [Fact]
    public void MalformedArchivesAndPicklesAreNamed()
    {
        using var dir = new TempDirectory();
        var compressed = new TorchZipWriter { CompressStorages = true };
        compressed.Floats("a", [1, 2], [2]);
        Assert.Contains("compressed", Refused(dir, compressed), StringComparison.Ordinal);

        var truncated = new TorchZipWriter();
        truncated.Floats("a", [1, 2], [2]);
        Assert.Contains("cannot read the pickled state dict", Refused(dir, truncated, stop: false), StringComparison.Ordinal);

        var notTensor = new TorchZipWriter();
        notTensor.Unicode("a");
        notTensor.Int(5);
        Assert.Contains("entry 'a' is a Int32, not a tensor", Refused(dir, notTensor), StringComparison.Ordinal);

        var path = dir.File("pytorch_model.bin");
        File.WriteAllBytes(path, [0x80, 2, (byte)'}', (byte)'.']);
        var legacy = Assert.Throws<DiscoException>(() => TorchCheckpointFile.Read(path));
        Assert.Contains("not a PyTorch zip checkpoint", legacy.Message, StringComparison.Ordinal);
        File.WriteAllBytes(path, [(byte)'P', (byte)'K', 3, 4, 9, 9, 9]);
        var broken = Assert.Throws<DiscoException>(() => TorchCheckpointFile.Read(path));
        Assert.Contains("damaged zip archive", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HfCheckpointLoadsACraftedBinWithTheFixtureWeights()
    {
        // Independent of the fixture's own .bin: the safetensors weights re-pickled by hand load identically.
        using var dir = new TempDirectory();
        CheckpointCopies.CopyDirectory(Fixtures.TinySplade, dir.Path);
        File.Delete(dir.File("model.safetensors"));
        var safe = SafetensorsFile.Read(Path.Combine(Fixtures.TinySplade, "model.safetensors"));
        var writer = new TorchZipWriter();
        foreach (var (name, tensor) in safe)
        {
            using var floats = tensor.to_type(ScalarType.Float32);
            writer.Floats(name, floats.data<float>().ToArray(), floats.shape);
        }
        writer.Save(dir.File("pytorch_model.bin"));
        using var fromBin = HfCheckpoint.Load(dir.Path, out var report, null);
        using var fromSafe = HfCheckpoint.Load(Fixtures.TinySplade, out _, null);
        Assert.Equal(["pytorch_model.bin"], report.WeightFiles.Select(Path.GetFileName));
        var expected = CheckpointCopies.Parameters(fromSafe);
        var actual = CheckpointCopies.Parameters(fromBin);
        foreach (var (name, values) in expected)
            Assert.True(values.AsSpan().SequenceEqual(actual[name]), name);
        foreach (var t in safe.Values)
            t.Dispose();
    }
}

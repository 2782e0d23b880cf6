using System.CommandLine;
using Disco.Cli.Commands;
using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

/// <summary>`--backend`, `--onnx-file` and `--device` of the encoder option group, on the ONNX exports of the tiny fixture (torch.onnx.export).</summary>
[Collection(ConsoleCaptureTests.Name)]
public class EncoderBackendCommandTests
{
    private static int Run(params string[] args)
    {
        var root = new RootCommand("test");
        root.Options.Add(CliErrors.VerboseOption);
        root.Subcommands.Add(EncodeCommand.Create());
        return CliErrors.Run(root, args);
    }

    private static (string Collection, List<System.Text.Json.JsonElement> Docs) Collection(TempDirectory dir)
    {
        var docs = EncodeCommandTests.Golden("golden_documents.jsonl").Take(12).ToList();
        File.WriteAllLines(dir.File("docs.tsv"), docs.Select(d => d.GetProperty("id").GetString() + "\t" + d.GetProperty("text").GetString()));
        return (dir.File("docs.tsv"), docs);
    }

    private static void AssertGolden(List<System.Text.Json.JsonElement> docs, string output)
    {
        var written = VectorFile.Read(output).ToList();
        Assert.Equal(docs.Count, written.Count);
        for (var i = 0; i < docs.Count; i++)
            EncodeCommandTests.AssertClose(docs[i].GetProperty("max"), written[i]);
    }

    [Fact]
    public void Threads_set_the_onnx_sessions_intra_op_threads()
    {
        // The option group shared by search, serve and index stats, through the real loader.
        var encoding = new QueryEncoding();
        var command = new Command("test");
        encoding.AddTo(command);
        var onnx = Fixtures.RepoFixture("onnx", "tiny-splade-logits");
        using (var encoder = Assert.IsType<global::Disco.Onnx.OnnxSpladeEncoder>(encoding.Encoder.Load(command.Parse(["--query-model", onnx, "--threads", "3"]), global::Disco.Retrieval.EncoderRole.Query)))
            Assert.Equal(3, encoder.IntraOpThreads);
        using (var encoder = Assert.IsType<global::Disco.Onnx.OnnxSpladeEncoder>(encoding.Encoder.Load(command.Parse(["--query-model", onnx]), global::Disco.Retrieval.EncoderRole.Query)))
            Assert.Equal(EncoderDefaults.Threads, encoder.IntraOpThreads);
    }

    [Fact]
    public void An_onnx_folder_encodes_the_golden_vectors_by_default_and_a_mixed_folder_on_request()
    {
        using var dir = new TempDirectory();
        var (collection, docs) = Collection(dir);
        var onnxOnly = Fixtures.RepoFixture("onnx", "tiny-splade-logits");
        Assert.Equal(0, Run("encode", "--model", onnxOnly, "--input", collection, "--output", dir.File("auto.jsonl")));
        AssertGolden(docs, dir.File("auto.jsonl"));

        // Weights and a graph side by side, the graph under another name: only --onnx-file finds it.
        var mixed = dir.File("mixed");
        Directory.CreateDirectory(mixed);
        foreach (var file in Directory.GetFiles(Fixtures.TinySplade))
            File.Copy(file, Path.Combine(mixed, Path.GetFileName(file)));
        File.Copy(Path.Combine(onnxOnly, "model.onnx"), Path.Combine(mixed, "model_fp32.onnx"));
        Assert.Equal(0, Run("encode", "--model", mixed, "--input", collection, "--output", dir.File("onnx.jsonl"), "--backend", "onnx", "--onnx-file", "model_fp32.onnx"));
        AssertGolden(docs, dir.File("onnx.jsonl"));
        Assert.Equal(0, Run("encode", "--model", mixed, "--input", collection, "--output", dir.File("torch.jsonl"), "--backend", "torch"));
        AssertGolden(docs, dir.File("torch.jsonl"));
    }

    [Fact]
    public void Impossible_backend_choices_fail_without_writing_output()
    {
        using var dir = new TempDirectory();
        var (collection, _) = Collection(dir);
        var onnxOnly = Fixtures.RepoFixture("onnx", "tiny-splade-logits");
        Assert.Equal(1, Run("encode", "--model", onnxOnly, "--input", collection, "--output", dir.File("a.jsonl"), "--backend", "torch"));
        Assert.Equal(1, Run("encode", "--model", Fixtures.TinySplade, "--input", collection, "--output", dir.File("b.jsonl"), "--backend", "torch", "--device", "cuda"));
        Assert.NotEqual(0, Run("encode", "--model", Fixtures.TinySplade, "--input", collection, "--output", dir.File("c.jsonl"), "--device", "tpu"));
        Assert.NotEqual(0, Run("encode", "--model", Fixtures.TinySplade, "--input", collection, "--output", dir.File("d.jsonl"), "--backend", "tensorflow"));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.jsonl"));
    }
}

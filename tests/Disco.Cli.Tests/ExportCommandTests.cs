using System.CommandLine;
using System.Text.Json;
using Disco.Cli.Commands;
using Disco.Onnx;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

public class ExportCommandTests
{
    private static int Run(params string[] args)
    {
        var root = new RootCommand("test");
        root.Options.Add(CliErrors.VerboseOption);
        root.Subcommands.Add(ExportCommand.Create());
        return CliErrors.Run(root, args);
    }

    [Fact]
    public void Export_onnx_with_pooling_writes_a_model_folder_whose_vectors_equal_the_goldens()
    {
        using var dir = new TempDirectory();
        var output = Path.Combine(dir.Path, "onnx");
        Assert.Equal(0, Run("export", "onnx", "--model", Fixtures.TinySplade, "--out", output, "--pooling"));
        foreach (var name in new[] { "model.onnx", "config.json", "vocab.txt" })
            Assert.True(File.Exists(Path.Combine(output, name)), name);
        using var encoder = OnnxSpladeEncoder.Load(output);
        Assert.True(encoder.IsPooledGraph);
        var golden = JsonDocument.Parse(File.ReadLines(Fixtures.Golden("golden_documents.jsonl")).First()).RootElement;
        var vector = encoder.Encode([golden.GetProperty("text").GetString()!])[0];
        var indices = golden.GetProperty("max").GetProperty("indices").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var values = golden.GetProperty("max").GetProperty("values").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(indices, vector.Indices);
        for (var i = 0; i < values.Length; i++)
            Assert.True(Math.Abs(values[i] - vector.Values[i]) <= 1e-4, $"term {indices[i]}: {values[i]} vs {vector.Values[i]}");
    }

    [Fact]
    public void Export_of_a_missing_model_is_a_one_line_error()
    {
        using var dir = new TempDirectory();
        Assert.Equal(1, Run("export", "onnx", "--model", dir.File("absent"), "--out", dir.File("out")));
        Assert.False(Directory.Exists(dir.File("out")));
    }
}

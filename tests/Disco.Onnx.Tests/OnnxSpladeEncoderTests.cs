using Disco.Core;
using Disco.Core.Vectors;
using Disco.Modeling.Tests;
using Disco.TestSupport;

namespace Disco.Onnx.Tests;

/// <summary>
/// Graphs exported from the tiny BERT fixture by Debian's torch.onnx.export
/// (tests/fixtures/scripts/make_onnx_fixtures.py), run through ONNX Runtime against the shared goldens.
/// </summary>
public class OnnxSpladeEncoderTests
{
    internal static string Logits => Fixtures.RepoFixture("onnx", "tiny-splade-logits");

    internal static string Pooled => Fixtures.RepoFixture("onnx", "tiny-splade-pooled");

    public static TheoryData<string, OnnxOptimization> Folders => new()
    {
        { Logits, OnnxOptimization.All },
        { Logits, OnnxOptimization.None },
        { Pooled, OnnxOptimization.All },
    };

    [Theory]
    [MemberData(nameof(Folders))]
    public void Documents_encoded_from_text_equal_the_golden_vectors(string folder, OnnxOptimization optimization)
    {
        using var encoder = OnnxSpladeEncoder.Load(folder, new OnnxEncoderOptions(BatchSize: 7, OptimizationLevel: optimization));
        var docs = GoldenRecords.Documents;
        var vectors = encoder.Encode([.. docs.Select(d => d.Text)]);
        for (var i = 0; i < docs.Count; i++)
            VectorAssert.Close(docs[i].Max, vectors[i], docs[i].Id);
    }

    [Fact]
    public void Conversations_equal_the_golden_vectors_and_only_declared_inputs_are_sent()
    {
        using var logits = OnnxSpladeEncoder.Load(Logits);
        using var pooled = OnnxSpladeEncoder.Load(Pooled);
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], logits.GraphInputs);
        Assert.Equal(["input_ids", "attention_mask"], pooled.GraphInputs);
        Assert.False(logits.IsPooledGraph);
        Assert.True(pooled.IsPooledGraph);
        var cases = GoldenRecords.Conversations;
        var fromLogits = logits.EncodeTokenIds([.. cases.Select(c => c.Ids)]);
        var fromPooled = pooled.Encode([.. cases.Select(c => c.Flattened)]);
        for (var i = 0; i < cases.Count; i++)
        {
            VectorAssert.Close(cases[i].Max, fromLogits[i], cases[i].Id + " logits");
            VectorAssert.Close(cases[i].Max, fromPooled[i], cases[i].Id + " pooled");
        }
    }

    [Fact]
    public void The_thread_count_reaches_the_session_options_and_defaults_to_the_shared_default()
    {
        using var set = OnnxSpladeEncoder.Load(Logits, new OnnxEncoderOptions(Threads: 3));
        Assert.Equal(3, set.IntraOpThreads);
        Assert.Equal(1, set.InterOpThreads);
        using var unset = OnnxSpladeEncoder.Load(Logits);
        Assert.Equal(EncoderDefaults.Threads, unset.IntraOpThreads);
        Assert.Equal(1, unset.InterOpThreads);
    }

    [Fact]
    public void Sum_pooling_of_logits_equals_the_golden_sum_vectors()
    {
        using var encoder = OnnxSpladeEncoder.Load(Logits, new OnnxEncoderOptions(Aggregation: SpladeAggregation.Sum, BatchSize: 4));
        var docs = GoldenRecords.Documents.Take(12).ToList();
        var vectors = encoder.EncodeTokenIds([.. docs.Select(d => d.Ids)]);
        for (var i = 0; i < docs.Count; i++)
            VectorAssert.Close(docs[i].Sum, vectors[i], docs[i].Id);
    }

    [Fact]
    public void Onnx_file_picks_a_named_graph_in_the_folder()
    {
        using var dir = new TempDirectory();
        foreach (var file in Directory.GetFiles(Logits))
            File.Copy(file, Path.Combine(dir.Path, Path.GetFileName(file) == "model.onnx" ? "model_other.onnx" : Path.GetFileName(file)));
        Assert.Null(OnnxModelFolder.Find(dir.Path));
        var e = Assert.Throws<DiscoException>(() => OnnxSpladeEncoder.Load(dir.Path));
        Assert.Contains("no ONNX graph found", e.Message, StringComparison.Ordinal);
        using var encoder = OnnxSpladeEncoder.Load(dir.Path, new OnnxEncoderOptions(OnnxFile: "model_other.onnx"));
        Assert.EndsWith("model_other.onnx", encoder.GraphFile, StringComparison.Ordinal);
        VectorAssert.Close(GoldenRecords.Documents[0].Max, encoder.EncodeTokenIds([GoldenRecords.Documents[0].Ids])[0], "d0");
    }

    [Fact]
    public void A_vocabulary_dimension_that_disagrees_with_vocab_txt_is_a_one_line_error()
    {
        using var dir = new TempDirectory();
        foreach (var file in Directory.GetFiles(Logits))
            File.Copy(file, Path.Combine(dir.Path, Path.GetFileName(file)));
        File.AppendAllLines(Path.Combine(dir.Path, "vocab.txt"), ["extra1", "extra2"]);
        var e = Assert.Throws<DiscoException>(() => OnnxSpladeEncoder.Load(dir.Path));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("model.onnx: output 'logits' has a vocabulary dimension of 30522 but the tokenizer has 30524 wordpieces", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_graph_without_input_ids_is_a_one_line_error()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(Fixtures.RepoFixture("onnx", "no-input-ids"), "model.onnx"), Path.Combine(dir.Path, "model.onnx"));
        File.Copy(Path.Combine(Logits, "vocab.txt"), Path.Combine(dir.Path, "vocab.txt"));
        var e = Assert.Throws<DiscoException>(() => OnnxSpladeEncoder.Load(dir.Path));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("model.onnx: the graph has no input 'input_ids' (its inputs: ids)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cuda_without_a_cuda_build_is_a_one_line_error()
    {
        var e = Assert.Throws<DiscoException>(() => OnnxSpladeEncoder.Load(Logits, new OnnxEncoderOptions(Device: ComputeDevice.Parse("cuda"))));
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith("device cuda:0 requested but ONNX Runtime's CUDA execution provider is not available", e.Message, StringComparison.Ordinal);
    }
}

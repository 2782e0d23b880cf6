using Disco.Core.Vectors;
using Disco.Modeling;
using Disco.Modeling.Onnx;
using Disco.Modeling.Tests;
using Disco.TestSupport;

namespace Disco.Onnx.Tests;

/// <summary>Disco's own ONNX export, run through ONNX Runtime, against the goldens and the PyTorch path.</summary>
public class OnnxExportTests
{
    private static string Export(string modelDir, string outDir, OnnxExportOptions options)
    {
        using var model = HfCheckpoint.Load(modelDir, out _, null);
        return OnnxExporter.Export(model, outDir, options, modelDir);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_exported_bert_graph_reproduces_the_golden_vectors(bool pooling)
    {
        using var dir = new TempDirectory();
        var file = Export(Fixtures.TinySplade, dir.Path, new OnnxExportOptions(Pooling: pooling));
        Assert.Equal(Path.Combine(dir.Path, "model.onnx"), file);
        using var encoder = OnnxSpladeEncoder.Load(dir.Path, new OnnxEncoderOptions(BatchSize: 8));
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], encoder.GraphInputs);
        Assert.Equal(pooling, encoder.IsPooledGraph);
        var docs = GoldenRecords.Documents;
        var vectors = encoder.Encode([.. docs.Select(d => d.Text)]);
        for (var i = 0; i < docs.Count; i++)
            VectorAssert.Close(docs[i].Max, vectors[i], docs[i].Id);
        var conversations = encoder.Encode([.. GoldenRecords.Conversations.Select(c => c.Flattened)]);
        for (var i = 0; i < conversations.Count; i++)
            VectorAssert.Close(GoldenRecords.Conversations[i].Max, conversations[i], GoldenRecords.Conversations[i].Id);
    }

    [Fact]
    public void A_sum_pooled_graph_reproduces_the_golden_sum_vectors()
    {
        using var dir = new TempDirectory();
        Export(Fixtures.TinySplade, dir.Path, new OnnxExportOptions(Pooling: true, Aggregation: SpladeAggregation.Sum));
        using var encoder = OnnxSpladeEncoder.Load(dir.Path);
        var docs = GoldenRecords.Documents.Take(10).ToList();
        var vectors = encoder.EncodeTokenIds([.. docs.Select(d => d.Ids)]);
        for (var i = 0; i < docs.Count; i++)
            VectorAssert.Close(docs[i].Sum, vectors[i], docs[i].Id);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_exported_distilbert_graph_equals_the_pytorch_path(bool pooling)
    {
        using var dir = new TempDirectory();
        Export(Fixtures.TinyDistilBert, dir.Path, new OnnxExportOptions(Pooling: pooling));
        using var onnx = OnnxSpladeEncoder.Load(dir.Path, new OnnxEncoderOptions(BatchSize: 6));
        Assert.Equal(["input_ids", "attention_mask"], onnx.GraphInputs);
        using var torch = SpladeEncoder.Load(Fixtures.TinyDistilBert, new SpladeEncoderOptions(BatchSize: 6));
        var texts = GoldenRecords.Documents.Select(d => d.Text).Concat(GoldenRecords.Conversations.Select(c => c.Flattened)).ToList();
        var expected = torch.Encode(texts);
        var actual = onnx.Encode(texts);
        for (var i = 0; i < texts.Count; i++)
            VectorAssert.Close(expected[i], actual[i], $"text {i}");
    }

    [Fact]
    public void An_int8_graph_stays_close_to_float32()
    {
        using var dir = new TempDirectory();
        var file = Export(Fixtures.TinySplade, dir.Path, new OnnxExportOptions(Quantization: OnnxQuantization.DynamicInt8));
        Assert.EndsWith("model_quantized.onnx", file, StringComparison.Ordinal);
        using var encoder = OnnxSpladeEncoder.Load(dir.Path, new OnnxEncoderOptions(OnnxFile: "model_quantized.onnx"));
        var docs = GoldenRecords.Documents;
        var vectors = encoder.EncodeTokenIds([.. docs.Select(d => d.Ids)]);
        for (var i = 0; i < docs.Count; i++)
        {
            var (relativeL2, overlap) = Agreement(docs[i].Max, vectors[i], 10);
            Assert.True(relativeL2 < 0.1 && overlap >= 0.7, $"{docs[i].Id}: relative L2 {relativeL2:F4}, top-10 overlap {overlap:F2}");
        }
    }

    /// <summary>Relative L2 distance and the share of the reference's top-k terms that the other keeps in its top-k.</summary>
    internal static (double RelativeL2, double Overlap) Agreement(SparseVector reference, SparseVector other, int k)
    {
        var a = Dense(reference);
        var b = Dense(other);
        double diff = 0, norm = 0;
        foreach (var key in a.Keys.Union(b.Keys))
        {
            var d = a.GetValueOrDefault(key) - b.GetValueOrDefault(key);
            diff += d * d;
            norm += a.GetValueOrDefault(key) * a.GetValueOrDefault(key);
        }
        var topA = a.OrderByDescending(kv => kv.Value).Take(k).Select(kv => kv.Key).ToHashSet();
        var topB = b.OrderByDescending(kv => kv.Value).Take(k).Select(kv => kv.Key).ToHashSet();
        return (Math.Sqrt(diff / norm), topA.Intersect(topB).Count() / (double)Math.Max(1, topA.Count));
    }

    private static Dictionary<int, double> Dense(SparseVector v) =>
        Enumerable.Range(0, v.Count).ToDictionary(i => v.Indices[i], i => (double)v.Values[i]);
}

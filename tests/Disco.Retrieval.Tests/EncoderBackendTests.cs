using Disco.Core;
using Disco.Core.Vectors;
using Disco.Hub;
using Disco.Modeling;
using Disco.Onnx;
using Disco.TestSupport;
using Disco.Text;

namespace Disco.Retrieval.Tests;

/// <summary>
/// The model loader's backends: ONNX folders (torch.onnx.export fixtures of tiny-splade), the
/// backend choice, and doc-only folders whose query side is idf.json; each retrieves through the
/// library as the goldens (made by the independent PyTorch reference) or a brute-force oracle say.
/// </summary>
public sealed class EncoderBackendTests(RetrieverFixture fixture) : IClassFixture<RetrieverFixture>
{
    private static string OnnxFixture(string name) => Fixtures.RepoFixture("onnx", name);

    private static ModelLoader Loader(TempDirectory dir, EncoderBackendOptions? backend = null) =>
        new(new HubOptions(dir.File("cache"), Offline: true), backend is null ? null : EncoderFactories.Create(backend));

    private static List<(string Doc, double Score)> Top(SearchResult result) => [.. result.Documents.Select(d => (d.DocumentId, (double)d.Score))];

    /// <summary>A folder with every file of <paramref name="sources"/> (later ones win).</summary>
    private static string Folder(TempDirectory dir, string name, params string[] sources)
    {
        var target = dir.File(name);
        Directory.CreateDirectory(target);
        foreach (var source in sources)
        {
            foreach (var file in Directory.GetFiles(source))
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
        return target;
    }

    [Theory]
    [InlineData("tiny-splade-logits")]
    [InlineData("tiny-splade-pooled")]
    public void An_onnx_folder_loads_through_the_model_loader_and_retrieves_the_golden_rankings(string name)
    {
        using var dir = new TempDirectory();
        using var encoder = Loader(dir).Load(OnnxFixture(name), EncoderRole.Query);
        Assert.IsType<OnnxSpladeEncoder>(encoder);
        var retriever = new ConversationalRetriever(encoder, fixture.Index);
        var checkedAny = false;
        foreach (var conversation in GoldenFixture.Conversations.Where(c => GoldenFixture.Rankings.ContainsKey(c.Id)))
        {
            GoldenFixture.AssertGolden(conversation.Id, Top(retriever.Search(conversation, topK: 10)));
            checkedAny = true;
        }
        Assert.True(checkedAny);
    }

    [Fact]
    public void A_folder_with_weights_and_a_graph_loads_torch_by_default_and_onnx_when_asked()
    {
        using var dir = new TempDirectory();
        var both = Folder(dir, "both", OnnxFixture("tiny-splade-logits"), Fixtures.TinySplade);
        using (var auto = Loader(dir).Load(both, EncoderRole.Document))
            Assert.IsType<SpladeEncoder>(auto);
        using (var torch = Loader(dir, new EncoderBackendOptions(EncoderBackend.Torch)).Load(both, EncoderRole.Document))
            Assert.IsType<SpladeEncoder>(torch);
        using (var onnx = Loader(dir, new EncoderBackendOptions(EncoderBackend.Onnx)).Load(both, EncoderRole.Document))
            Assert.IsType<OnnxSpladeEncoder>(onnx);
        // Naming a graph file means ONNX Runtime even without --backend.
        using (var named = Loader(dir, new EncoderBackendOptions(OnnxFile: OnnxModelFolder.DefaultFile)).Load(both, EncoderRole.Document))
            Assert.IsType<OnnxSpladeEncoder>(named);
    }

    [Fact]
    public void The_onnx_file_option_picks_another_graph_in_the_folder()
    {
        using var dir = new TempDirectory();
        var folder = Folder(dir, "quantized-only", OnnxFixture("tiny-splade-logits"));
        File.Move(Path.Combine(folder, OnnxModelFolder.DefaultFile), Path.Combine(folder, "model_quantized.onnx"));
        var e = Assert.Throws<DiscoException>(() => Loader(dir).Load(folder, EncoderRole.Document));
        Assert.Contains(folder, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        using var encoder = Loader(dir, new EncoderBackendOptions(OnnxFile: "model_quantized.onnx")).Load(folder, EncoderRole.Document);
        using var reference = SpladeEncoder.Load(Fixtures.TinySplade);
        var text = GoldenFixture.Documents[0].Text;
        var expected = reference.Encode([text])[0];
        var actual = encoder.Encode([text])[0];
        Assert.Equal(expected.Indices, actual.Indices);
        for (var i = 0; i < expected.Values.Length; i++)
            Assert.True(Math.Abs(expected.Values[i] - actual.Values[i]) < 1e-4, $"term {expected.Indices[i]}");
    }

    [Fact]
    public void Impossible_backend_choices_are_one_line_errors()
    {
        using var dir = new TempDirectory();
        var torchOnOnnx = Assert.Throws<DiscoException>(() => Loader(dir, new EncoderBackendOptions(EncoderBackend.Torch)).Load(OnnxFixture("tiny-splade-logits"), EncoderRole.Document));
        Assert.Contains("SPLADE (TorchSharp)", torchOnOnnx.Message, StringComparison.Ordinal);
        var cudaTorch = Assert.Throws<DiscoException>(() => EncoderFactories.Create(new EncoderBackendOptions(EncoderBackend.Torch, Device: ComputeDevice.Parse("cuda"))));
        Assert.Contains("onnx", cudaTorch.Message, StringComparison.Ordinal);
        var bf16 = Assert.Throws<DiscoException>(() => Loader(dir).Load(OnnxFixture("tiny-splade-logits"), EncoderRole.Document, new SpladeEncoderOptions(Precision: SpladePrecision.Bf16)));
        foreach (var e in new[] { torchOnOnnx, cudaTorch, bf16 })
            Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_doc_only_folder_encodes_queries_by_idf_and_documents_by_its_network()
    {
        using var dir = new TempDirectory();
        var folder = Folder(dir, "doc-only", Fixtures.TinySplade);
        var tokenizer = WordPieceTokenizer.FromDirectory(folder);
        // Every third token gets a weight; the rest are absent from idf.json (weight 0).
        var idf = Enumerable.Range(0, tokenizer.VocabularySize).Where(id => id % 3 == 0)
            .ToDictionary(id => tokenizer.IdToToken(id), id => 0.5f + id % 7 / 4f);
        File.WriteAllText(Path.Combine(folder, IdfQueryEncoder.IdfFile), System.Text.Json.JsonSerializer.Serialize(idf));
        var loader = Loader(dir);
        using var documents = loader.Load(folder, EncoderRole.Document);
        Assert.IsType<SpladeEncoder>(documents);
        using var queries = loader.Load(folder, EncoderRole.Query);
        Assert.IsType<IdfQueryEncoder>(queries);

        // Oracle: the query vector by hand (each distinct non-special wordpiece weighs its idf), dotted
        // with every document vector of the index's encoder, sorted.
        var docVectors = fixture.Encoder.Encode([.. GoldenFixture.Documents.Select(d => d.Text)]);
        var special = new HashSet<int> { tokenizer.ClsId, tokenizer.SepId, tokenizer.PadId };
        var retriever = new ConversationalRetriever(queries, fixture.Index);
        var ranked = 0;
        foreach (var conversation in GoldenFixture.Conversations)
        {
            var text = GoldenFixture.Flattened[conversation.Id];
            var query = tokenizer.Encode(text, EncoderDefaults.MaxLength).Where(id => !special.Contains(id)).Distinct()
                .ToDictionary(id => id, id => idf.GetValueOrDefault(tokenizer.IdToToken(id)));
            var expected = GoldenFixture.Documents.Select((d, i) => (Doc: d.Id, Score: Dot(query, docVectors[i])))
                .Where(s => s.Score > 0).OrderByDescending(s => s.Score).Take(10).ToList();
            var actual = Top(retriever.Search(conversation, topK: 10));
            Assert.Equal(expected.Count, actual.Count);
            ranked += expected.Count;
            for (var r = 0; r < expected.Count; r++)
            {
                Assert.True(Math.Abs(expected[r].Score - actual[r].Score) < 1e-4 * Math.Max(1, expected[r].Score), $"{conversation.Id} rank {r + 1}: {actual[r]} vs {expected[r]}");
                Assert.True(actual[r].Doc == expected[r].Doc || Math.Abs(expected.Single(e => e.Doc == actual[r].Doc).Score - expected[r].Score) < 1e-4, $"{conversation.Id} rank {r + 1}");
            }
        }
        Assert.True(ranked > GoldenFixture.Conversations.Count, "the oracle ranked almost nothing; the idf weights miss the queries");
    }

    private static double Dot(Dictionary<int, float> query, SparseVector document)
    {
        double sum = 0;
        for (var i = 0; i < document.Indices.Length; i++)
        {
            if (query.TryGetValue(document.Indices[i], out var w))
                sum += w * document.Values[i];
        }
        return sum;
    }
}

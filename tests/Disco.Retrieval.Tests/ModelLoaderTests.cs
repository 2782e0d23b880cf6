using Disco.Core;
using Disco.Hub;
using Disco.Modeling;
using Disco.TestSupport;

namespace Disco.Retrieval.Tests;

public sealed class ModelLoaderTests
{
    private static ModelLoader Offline(string cache) => new(new HubOptions(cache, Offline: true));

    [Fact]
    public async Task A_hub_id_in_the_cache_loads_offline_the_same_encoder_as_its_folder()
    {
        using var cache = new TempDirectory();
        var snapshot = FakeHubCache.Add(cache.Path, "slupart/splade-disco-topiocqa-mistral", Fixtures.TinySplade);
        var loader = Offline(cache.Path);
        Assert.Equal(snapshot, await loader.LocateAsync("slupart/splade-disco-topiocqa-mistral", EncoderRole.Query, TestContext.Current.CancellationToken));
        using var byId = await loader.LoadAsync("slupart/splade-disco-topiocqa-mistral", EncoderRole.Query, cancellationToken: TestContext.Current.CancellationToken);
        using var byFolder = SpladeEncoder.Load(Fixtures.TinySplade);
        var text = GoldenFixture.Documents[0].Text;
        var a = byId.Encode([text])[0];
        var b = byFolder.Encode([text])[0];
        Assert.Equal(b.Indices, a.Indices);
        Assert.Equal(b.Values, a.Values);
    }

    [Fact]
    public void A_missing_id_offline_is_a_one_line_error_naming_it()
    {
        using var cache = new TempDirectory();
        var e = Assert.Throws<DiscoException>(() => Offline(cache.Path).Load("naver/splade-cocondenser-ensembledistil", EncoderRole.Document));
        Assert.Contains("naver/splade-cocondenser-ensembledistil", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void The_query_role_takes_a_disco_training_outputs_query_encoder()
    {
        using var dir = new TempDirectory();
        var model = Path.Combine(dir.Path, "model");
        var query = Path.Combine(model, "query");
        Directory.CreateDirectory(query);
        foreach (var file in Directory.GetFiles(Fixtures.TinySplade))
        {
            File.Copy(file, Path.Combine(model, Path.GetFileName(file)));
            File.Copy(file, Path.Combine(query, Path.GetFileName(file)));
        }
        var warnings = new StringWriter();
        var loader = new ModelLoader(new HubOptions(dir.File("cache"), Offline: true)) { Warnings = warnings };
        Assert.Equal(query, loader.Locate(model, EncoderRole.Query));
        // No completion marker: query/ loads, and the loader says it cannot tell whether its save finished.
        Assert.Equal($"warning: {model}: no {DiscoModelLayout.CompleteFile}, so query/ may be from a save that did not finish (or an output older than the marker); loading it as the query encoder" + Environment.NewLine, warnings.ToString());
        Assert.Equal(model, loader.Locate(model, EncoderRole.Document));
        // A plain model folder serves both roles.
        Assert.Equal(Path.GetFullPath(Fixtures.TinySplade), loader.Locate(Fixtures.TinySplade, EncoderRole.Query));
        Assert.Single(warnings.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        // With the marker the same folder loads without a word.
        DiscoModelLayout.MarkComplete(model);
        warnings.GetStringBuilder().Clear();
        using (var encoder = loader.Load(model, EncoderRole.Query))
            Assert.NotEmpty(encoder.Encode(["what is a sparse retriever"])[0].Indices);
        Assert.Equal("", warnings.ToString());
    }

    /// <summary>
    /// A training output's model/ without disco_model.json (older than the marker, or an interrupted
    /// save): a SPLADE run's model is its own query encoder and loads; a DiSCo run's without query/
    /// has lost its trained query encoder, and one whose arguments name no recipe is unknown: both
    /// are one-line errors with the fix.
    /// </summary>
    [Theory]
    [InlineData("""{"format_version": 1, "recipe": "splade"}""", null)]
    [InlineData("""{"format_version": 1, "recipe": "disco"}""", "trained query encoder is missing (refusing to encode queries with the document encoder); use a checkpoint-N/model that has query/, or resume training")]
    [InlineData("""{"format_version": 1}""", "names no recipe")]
    [InlineData("not json", "names no recipe")]
    public void A_training_output_without_its_marker_is_judged_by_its_recipe(string arguments, string? refusal)
    {
        using var dir = new TempDirectory();
        var model = Path.Combine(dir.Path, DiscoModelLayout.ModelFolder);
        Directory.CreateDirectory(model);
        foreach (var file in Directory.GetFiles(Fixtures.TinySplade))
            File.Copy(file, Path.Combine(model, Path.GetFileName(file)));
        File.WriteAllText(dir.File(DiscoModelLayout.ArgumentsFile), arguments);
        var loader = Offline(dir.File("cache"));
        Assert.Equal(model, loader.Locate(model, EncoderRole.Document));
        if (refusal is null)
        {
            Assert.Equal(model, loader.Locate(model, EncoderRole.Query));
            using (var encoder = loader.Load(model, EncoderRole.Query))
                Assert.NotEmpty(encoder.Encode(["what is a sparse retriever"])[0].Indices);
            // Loading still validates the weights: a truncated file is an error, not an encoder.
            var weights = Path.Combine(model, HfCheckpoint.SafetensorsFile);
            File.WriteAllBytes(weights, File.ReadAllBytes(weights)[..^100]);
            Assert.ThrowsAny<DiscoException>(() => loader.Load(model, EncoderRole.Query));
            return;
        }
        var e = Assert.Throws<DiscoException>(() => loader.Locate(model, EncoderRole.Query));
        Assert.StartsWith(model + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(refusal, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        // A DiSCo output older than the marker that has its query/ loads it.
        var query = Path.Combine(model, DiscoModelLayout.QueryFolder);
        Directory.CreateDirectory(query);
        foreach (var file in Directory.GetFiles(Fixtures.TinySplade))
            File.Copy(file, Path.Combine(query, Path.GetFileName(file)));
        var warnings = new StringWriter();
        Assert.Equal(query, new ModelLoader(loader.Hub) { Warnings = warnings }.Locate(model, EncoderRole.Query));
        Assert.StartsWith($"warning: {model}: no {DiscoModelLayout.CompleteFile}", warnings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_factory_that_can_load_a_folder_loads_it()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("weights.idf"), "");
        var fake = new MarkerFactory("weights.idf");
        var loader = new ModelLoader(new HubOptions(dir.File("cache"), Offline: true), [fake, .. EncoderFactories.Default]);
        Assert.Same(fake.Encoder, loader.Load(dir.Path, EncoderRole.Query));
        var e = Assert.Throws<DiscoException>(() => Offline(dir.File("cache")).Load(dir.Path, EncoderRole.Query));
        Assert.Contains("SPLADE (TorchSharp)", e.Message, StringComparison.Ordinal);
    }

    private sealed class MarkerFactory(string marker) : IEncoderFactory
    {
        public Core.Vectors.ISparseEncoder Encoder { get; } = new StubEncoder();

        public string Name => "marker";

        public bool CanLoad(string directory) => File.Exists(Path.Combine(directory, marker));

        public Core.Vectors.ISparseEncoder Load(string directory, SpladeEncoderOptions options, TextWriter? warnings) => Encoder;
    }

    private sealed class StubEncoder : Core.Vectors.ISparseEncoder
    {
        public IReadOnlyList<string> Vocabulary => ["a"];

        public IReadOnlyList<Core.Vectors.SparseVector> Encode(IReadOnlyList<string> texts, IProgress<long>? progress = null) => [.. texts.Select(_ => Core.Vectors.SparseVector.Empty)];

        public void Dispose() { }
    }
}

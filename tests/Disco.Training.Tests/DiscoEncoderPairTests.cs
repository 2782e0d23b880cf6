using System.Text.Json;
using Disco.Core;
using Disco.TestSupport;

namespace Disco.Training.Tests;

[Collection(SerialTorchTests.Name)]
public sealed class DiscoEncoderPairTests
{
    [Fact]
    public void ArchitecturesMayDifferButTheVocabularyMayNot()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Fixtures.Golden("golden_disco_steps.json")));
        using var dir = new TempDirectory();
        var data = GoldenTrainingData.Write(golden.RootElement, dir);
        var loop = DiscoTrainingOptions.DefaultLoop with { OutputDir = dir.File("out") };
        var mixed = data.Disco(loop) with { QueryModelDir = Fixtures.TinyDistilBert, DocumentModelDir = Fixtures.TinySplade, Window = new RankWindow(0, 10) };
        using (var recipe = new DiscoRecipe(mixed))
            Assert.Equal(2, recipe.ItemCount);

        // tiny-splade with two wordpieces swapped: same size, different terms.
        var swapped = dir.File("swapped");
        Directory.CreateDirectory(swapped);
        foreach (var file in Directory.GetFiles(Fixtures.TinySplade).Where(f => Path.GetFileName(f) != "vocab.txt"))
            File.Copy(file, Path.Combine(swapped, Path.GetFileName(file)));
        var vocabulary = File.ReadAllLines(Path.Combine(Fixtures.TinySplade, "vocab.txt"));
        (vocabulary[2000], vocabulary[2001]) = (vocabulary[2001], vocabulary[2000]);
        File.WriteAllLines(Path.Combine(swapped, "vocab.txt"), vocabulary);
        var error = Assert.Throws<DiscoException>(() => new DiscoRecipe(mixed with { DocumentModelDir = swapped }));
        Assert.StartsWith($"{swapped}: the document encoder's vocabulary differs from the query encoder's", error.Message, StringComparison.Ordinal);
    }
}

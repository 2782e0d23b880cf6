using Disco.Core;
using Disco.TestSupport;

namespace Disco.Modeling.Tests;

public class BertConfigTests
{
    [Fact]
    public void Reads_the_fixture_config()
    {
        var c = BertConfig.FromDirectory(Fixtures.TinySplade);
        Assert.Equal((30522, 32, 2, 4, 64, 8), (c.VocabSize, c.HiddenSize, c.NumHiddenLayers, c.NumAttentionHeads, c.IntermediateSize, c.HeadSize));
        Assert.Equal(BertActivation.Gelu, c.HiddenAct);
        Assert.Equal(1e-12, c.LayerNormEps);
        Assert.Equal((512, 2, 0), (c.MaxPositionEmbeddings, c.TypeVocabSize, c.PadTokenId));
    }

    [Fact]
    public void Round_trips_through_json_keeping_unknown_members()
    {
        var c = BertConfig.FromJson("""{"model_type":"bert","hidden_size":64,"num_attention_heads":2,"hidden_act":"gelu_new","custom":"kept"}""", "c.json");
        var again = BertConfig.FromJson(c.ToJson(), "again");
        Assert.Equal(64, again.HiddenSize);
        Assert.Equal(BertActivation.GeluTanh, again.HiddenAct);
        Assert.Contains("\"custom\": \"kept\"", c.ToJson(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model_type":"distilbert"}""", "model_type \"distilbert\" is not supported")]
    [InlineData("""{"hidden_act":"swish"}""", "hidden_act \"swish\" is not supported")]
    [InlineData("""{"hidden_size":100,"num_attention_heads":12}""", "not a multiple")]
    [InlineData("""{"hidden_size":"big"}""", "\"hidden_size\" must be an integer")]
    [InlineData("""{"position_embedding_type":"relative_key"}""", "relative_key")]
    [InlineData("""[1]""", "must be a JSON object")]
    public void Refuses_what_it_cannot_build_with_a_clear_message(string json, string expected)
    {
        var e = Assert.ThrowsAny<DiscoException>(() => BertConfig.FromJson(json, "cfg.json"));
        Assert.StartsWith("cfg.json: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}

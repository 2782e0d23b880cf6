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
    [InlineData("""{"model_type":"gpt2"}""", "model_type \"gpt2\" is not supported (supported: bert, distilbert)")]
    [InlineData("""{"model_type":"distilbert","dim":100,"n_heads":12}""", "dim 100 is not a multiple of n_heads 12")]
    [InlineData("""{"model_type":"distilbert","activation":"swish"}""", "activation \"swish\" is not supported")]
    [InlineData("""{"model_type":"distilbert","n_layers":0}""", "\"n_layers\" must be between 1 and 1024, got 0")]
    [InlineData("""{"model_type":"distilbert","sinusoidal_pos_embds":true}""", "sinusoidal_pos_embds")]
    [InlineData("""{"hidden_act":"swish"}""", "hidden_act \"swish\" is not supported")]
    [InlineData("""{"hidden_size":100,"num_attention_heads":12}""", "not a multiple")]
    [InlineData("""{"hidden_size":"big"}""", "\"hidden_size\" must be an integer")]
    [InlineData("""{"position_embedding_type":"relative_key"}""", "relative_key")]
    [InlineData("""[1]""", "must be a JSON object")]
    public void Refuses_what_it_cannot_build_with_a_clear_message(string json, string expected)
    {
        var e = Assert.ThrowsAny<DiscoException>(() => MaskedLmConfig.FromJson(json, "cfg.json"));
        Assert.StartsWith("cfg.json: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_distilbert_config_maps_its_own_names_and_writes_them_back()
    {
        var c = Assert.IsType<DistilBertConfig>(MaskedLmConfig.FromDirectory(Fixtures.TinyDistilBert));
        Assert.Equal((30522, 32, 2, 4, 64, 8), (c.VocabSize, c.HiddenSize, c.NumHiddenLayers, c.NumAttentionHeads, c.IntermediateSize, c.HeadSize));
        Assert.Equal((BertActivation.Gelu, 1e-12, 512), (c.HiddenAct, c.LayerNormEps, c.MaxPositionEmbeddings));
        using (var model = new DistilBertForMaskedLM(c))
            Assert.Equal(model.parameters().Sum(p => p.numel()), c.ParameterCount);
        var json = System.Text.Json.Nodes.JsonNode.Parse(c.WithDropout(0.25).ToJson())!;
        Assert.Equal("distilbert", json["model_type"]!.GetValue<string>());
        Assert.Equal("DistilBertForMaskedLM", json["architectures"]![0]!.GetValue<string>());
        Assert.Equal((32, 2, 4, 64), (json["dim"]!.GetValue<int>(), json["n_layers"]!.GetValue<int>(), json["n_heads"]!.GetValue<int>(), json["hidden_dim"]!.GetValue<int>()));
        Assert.Equal((0.25, 0.25), (json["dropout"]!.GetValue<double>(), json["attention_dropout"]!.GetValue<double>()));
        Assert.Null(json["hidden_size"]);
    }
}

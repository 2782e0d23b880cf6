using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>HuggingFace's initialisation of BERT-family models, for the parameters a checkpoint does not provide.</summary>
internal static class HfInitialization
{
    /// <summary>
    /// normal(0, initializer_range) weights, LayerNorm weights 1, zero biases, and the padding row
    /// of the word embeddings zero (HF's <c>nn.Embedding(padding_idx=pad_token_id)</c>).
    /// </summary>
    public static void Apply(nn.Module model, MaskedLmConfig config, Tensor wordEmbeddings)
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in model.named_parameters())
        {
            if (name.EndsWith("LayerNorm.weight", StringComparison.Ordinal) || name.EndsWith("layer_norm.weight", StringComparison.Ordinal))
                p.fill_(1);
            else if (name.EndsWith(".bias", StringComparison.Ordinal))
                p.zero_();
            else
                p.normal_(0, config.InitializerRange);
        }
        if (config.PadTokenId >= 0 && config.PadTokenId < config.VocabSize)
            wordEmbeddings[config.PadTokenId].zero_();
    }
}

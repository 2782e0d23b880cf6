using Disco.Core;
using Disco.Core.IO;
using Disco.Core.Vectors;
using Disco.Modeling.Onnx.Proto;
using Google.Protobuf;
using static TorchSharp.torch;
using DataType = Disco.Modeling.Onnx.Proto.TensorProto.Types.DataType;

namespace Disco.Modeling.Onnx;

/// <summary>
/// Writes a <see cref="MaskedLanguageModel"/> as an ONNX graph built from the ONNX operator set 17 with the
/// weights of the checkpoint (docs/models.md, "ONNX export"). Inputs and outputs carry HuggingFace's
/// names (<c>input_ids</c>, <c>attention_mask</c>, <c>token_type_ids</c> for BERT; <c>logits</c>), so
/// tools that load optimum/transformers exports load it; with pooling the output is the SPLADE vector
/// <c>sparse_weights [batch, vocab]</c>.
/// </summary>
public static class OnnxExporter
{
    public const string LogitsOutput = "logits";
    public const string PooledOutput = "sparse_weights";
    public const string FileName = "model.onnx";
    public const string QuantizedFileName = "model_quantized.onnx";

    /// <summary>The ONNX operator set the graph uses (LayerNormalization needs 17).</summary>
    public const int Opset = 17;

    /// <summary>
    /// Writes <c>model.onnx</c> (<c>model_quantized.onnx</c> for int8), <c>config.json</c> and, when
    /// <paramref name="tokenizerDir"/> is given, the tokenizer files into <paramref name="outputDir"/>:
    /// a model folder that Disco's ONNX encoder and HuggingFace-style ONNX tools load. Returns the graph's path.
    /// </summary>
    public static string Export(MaskedLanguageModel model, string outputDir, OnnxExportOptions? options = null, string? tokenizerDir = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(outputDir);
        options ??= new OnnxExportOptions();
        var graph = Build(model, options);
        Directory.CreateDirectory(outputDir);
        var path = Path.Combine(outputDir, options.Quantization == OnnxQuantization.DynamicInt8 ? QuantizedFileName : FileName);
        AtomicFile.Write(path, stream => graph.WriteTo(stream));
        AtomicFile.WriteAllText(Path.Combine(outputDir, HfCheckpoint.ConfigFile), model.Config.ToJson());
        if (tokenizerDir is not null)
            HfCheckpoint.CopyTokenizerFiles(tokenizerDir, outputDir);
        return path;
    }

    internal static ModelProto Build(MaskedLanguageModel model, OnnxExportOptions options)
    {
        var config = model.Config;
        var names = MaskedLmArchitectures.ForModelType(config.ModelType, config.Source).Weights;
        var weights = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var writer = new GraphWriter(new OnnxGraphBuilder(), weights, config, options);
        writer.Write(names);
        var result = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "disco",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0",
            DocString = $"SPLADE {MaskedLmArchitectures.ForModelType(config.ModelType, config.Source).ClassName} exported by Disco",
            Graph = writer.Builder.Graph,
        };
        result.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return result;
    }

    /// <summary>Writes the nodes of one model; one instance per export.</summary>
    private sealed class GraphWriter(OnnxGraphBuilder builder, Dictionary<string, TorchSharp.Modules.Parameter> weights, MaskedLmConfig config, OnnxExportOptions options)
    {
        private const string InputIds = "input_ids";
        private const string AttentionMask = "attention_mask";
        private const string TokenTypeIds = "token_type_ids";

        public OnnxGraphBuilder Builder { get; } = builder;

        public void Write(ArchitectureWeights names)
        {
            var b = Builder;
            var hidden = config.HiddenSize;
            var vocab = config.VocabSize;
            b.Input(InputIds, DataType.Int64, "batch", "sequence");
            b.Input(AttentionMask, DataType.Int64, "batch", "sequence");
            if (names.TokenTypeEmbeddings is not null)
                b.Input(TokenTypeIds, DataType.Int64, "batch", "sequence");

            var wordEmbeddings = Tensor(names.WordEmbeddings);
            var shape = b.Node("Shape", [InputIds]);
            var length = b.Node("Slice", [shape, b.Ints(1), b.Ints(2), b.Ints(0)]);
            var positions = b.Node("Slice", [Tensor(names.PositionEmbeddings), b.Ints(0), length, b.Ints(0)]);
            var x = b.Node("Add", [b.Node("Gather", [wordEmbeddings, InputIds]), positions]);
            if (names.TokenTypeEmbeddings is not null)
                x = b.Node("Add", [x, b.Node("Gather", [Tensor(names.TokenTypeEmbeddings), TokenTypeIds])]);
            x = LayerNorm(x, names.EmbeddingNorm);

            // HuggingFace's extended mask: 0 where attended, float32's minimum where padded (as the PyTorch path).
            var mask = b.Node("Cast", [AttentionMask], null, null, OnnxGraphBuilder.Int("to", (long)DataType.Float));
            var additive = b.Node("Mul", [b.Node("Sub", [b.Scalar(1), b.Node("Unsqueeze", [mask, b.Ints(1, 2)])]), b.Scalar(float.MinValue)]);
            for (var i = 0; i < config.NumHiddenLayers; i++)
                x = Layer(x, additive, names.Layer(i));

            var head = LayerNorm(Activate(Linear(x, names.HeadTransform, quantize: false)), names.HeadNorm);
            // Gemm with transB reads the word-embedding matrix as stored: the tied decoder costs no second copy.
            var flat = b.Node("Reshape", [head, b.Ints(-1, hidden)]);
            var projected = b.Node("Gemm", [flat, wordEmbeddings, Tensor(names.DecoderBias)], null, null, OnnxGraphBuilder.Int("transB", 1));
            var logitsShape = b.Node("Concat", [b.Node("Slice", [shape, b.Ints(0), b.Ints(2), b.Ints(0)]), b.Ints(vocab)], null, null, OnnxGraphBuilder.Int("axis", 0));
            if (!options.Pooling)
            {
                b.Node("Reshape", [projected, logitsShape], LogitsOutput);
                b.Output(LogitsOutput, DataType.Float, "batch", "sequence", vocab);
                return;
            }
            var logits = b.Node("Reshape", [projected, logitsShape]);
            var tokenMask = b.Node("Unsqueeze", [mask, b.Ints(2)]);
            if (options.Aggregation == SpladeAggregation.Max)
            {
                // log(1 + relu) is monotone: take the max of the masked logits, then transform [B, V] only.
                var masked = b.Node("Add", [logits, b.Node("Mul", [b.Node("Sub", [b.Scalar(1), tokenMask]), b.Scalar(float.MinValue)])]);
                var max = b.Node("ReduceMax", [masked], null, null, OnnxGraphBuilder.IntList("axes", 1), OnnxGraphBuilder.Int("keepdims", 0));
                b.Node("Log", [b.Node("Add", [b.Node("Relu", [max]), b.Scalar(1)])], PooledOutput);
            }
            else
            {
                var w = b.Node("Mul", [b.Node("Log", [b.Node("Add", [b.Node("Relu", [logits]), b.Scalar(1)])]), tokenMask]);
                b.Node("ReduceSum", [w, b.Ints(1)], PooledOutput, null, OnnxGraphBuilder.Int("keepdims", 0));
            }
            b.Output(PooledOutput, DataType.Float, "batch", vocab);
        }

        private string Layer(string x, string additive, LayerWeights names)
        {
            var b = Builder;
            var heads = config.NumAttentionHeads;
            var headSize = config.HeadSize;
            var split = b.Ints(0, 0, heads, headSize);
            string Heads(string prefix, params long[] perm) =>
                b.Node("Transpose", [b.Node("Reshape", [Linear(x, prefix), split])], null, null, OnnxGraphBuilder.IntList("perm", perm));
            var q = Heads(names.Query, 0, 2, 1, 3);
            var k = Heads(names.Key, 0, 2, 3, 1);
            var v = Heads(names.Value, 0, 2, 1, 3);
            var scores = b.Node("Div", [b.Node("MatMul", [q, k]), b.Scalar(MathF.Sqrt(headSize))]);
            var probs = b.Node("Softmax", [b.Node("Add", [scores, additive])], null, null, OnnxGraphBuilder.Int("axis", -1));
            var context = b.Node("Transpose", [b.Node("MatMul", [probs, v])], null, null, OnnxGraphBuilder.IntList("perm", 0, 2, 1, 3));
            context = b.Node("Reshape", [context, b.Ints(0, 0, config.HiddenSize)]);
            var attended = LayerNorm(b.Node("Add", [Linear(context, names.AttentionOutput), x]), names.AttentionNorm);
            var inner = Activate(Linear(attended, names.FeedForwardIn));
            return LayerNorm(b.Node("Add", [Linear(inner, names.FeedForwardOut), attended]), names.FeedForwardNorm);
        }

        private string Linear(string x, string prefix, bool quantize = true)
        {
            var b = Builder;
            using var transposed = weights[prefix + ".weight"].detach().t().contiguous().to_type(ScalarType.Float32);
            var inFeatures = transposed.shape[0];
            var outFeatures = transposed.shape[1];
            var bias = Tensor(prefix + ".bias");
            if (!quantize || options.Quantization != OnnxQuantization.DynamicInt8)
                return b.Node("Add", [b.Node("MatMul", [x, b.Floats(prefix + ".weight_t", transposed.data<float>().ToArray(), inFeatures, outFeatures)]), bias]);
            // Symmetric int8 weights per output column; activations quantized to uint8 at run time.
            var (quantized, scales) = QuantizeColumns(transposed.data<float>().ToArray(), (int)inFeatures, (int)outFeatures);
            var q = b.SBytes(prefix + ".weight_int8", quantized, inFeatures, outFeatures);
            var s = b.Floats(prefix + ".weight_scale", scales, outFeatures);
            var dq = b.NodeOutputs("DynamicQuantizeLinear", [x], [b.Fresh("xq"), b.Fresh("xscale"), b.Fresh("xzero")]);
            var product = b.Node("MatMulInteger", [dq[0], q, dq[2]]);
            var asFloat = b.Node("Cast", [product], null, null, OnnxGraphBuilder.Int("to", (long)DataType.Float));
            return b.Node("Add", [b.Node("Mul", [asFloat, b.Node("Mul", [dq[1], s])]), bias]);
        }

        private static (sbyte[] Values, float[] Scales) QuantizeColumns(float[] w, int rows, int columns)
        {
            var scales = new float[columns];
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                    scales[c] = Math.Max(scales[c], Math.Abs(w[r * columns + c]));
            }
            for (var c = 0; c < columns; c++)
                scales[c] = scales[c] > 0 ? scales[c] / 127f : 1f;
            var q = new sbyte[w.Length];
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                    q[r * columns + c] = (sbyte)Math.Clamp(MathF.Round(w[r * columns + c] / scales[c]), -127, 127);
            }
            return (q, scales);
        }

        private string LayerNorm(string x, string prefix) =>
            Builder.Node("LayerNormalization", [x, Tensor(prefix + ".weight"), Tensor(prefix + ".bias")], null, null,
                OnnxGraphBuilder.Int("axis", -1), OnnxGraphBuilder.Float("epsilon", (float)config.LayerNormEps));

        private string Activate(string x)
        {
            var b = Builder;
            switch (config.HiddenAct)
            {
                case BertActivation.Gelu:
                    // x · ½(1 + erf(x/√2)): the pattern ONNX Runtime fuses into one Gelu node.
                    var erf = b.Node("Erf", [b.Node("Div", [x, b.Scalar(MathF.Sqrt(2))])]);
                    return b.Node("Mul", [b.Node("Mul", [x, b.Node("Add", [erf, b.Scalar(1)])]), b.Scalar(0.5f)]);
                case BertActivation.GeluTanh:
                    var cube = b.Node("Mul", [b.Node("Mul", [x, x]), x]);
                    var inner = b.Node("Mul", [b.Node("Add", [x, b.Node("Mul", [cube, b.Scalar(0.044715f)])]), b.Scalar(MathF.Sqrt(2 / MathF.PI))]);
                    return b.Node("Mul", [b.Node("Mul", [x, b.Node("Add", [b.Node("Tanh", [inner]), b.Scalar(1)])]), b.Scalar(0.5f)]);
                default:
                    return b.Node("Relu", [x]);
            }
        }

        private string Tensor(string name)
        {
            if (!weights.TryGetValue(name, out var p))
                throw new DiscoException($"{config.Source}: the model has no parameter '{name}' to export");
            using var t = p.detach().contiguous().to_type(ScalarType.Float32);
            return Builder.Floats(name, t.data<float>().ToArray(), [.. t.shape]);
        }
    }
}

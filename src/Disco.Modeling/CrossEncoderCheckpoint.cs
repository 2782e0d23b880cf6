using System.Text.Json;
using System.Text.Json.Nodes;
using Disco.Core;

namespace Disco.Modeling;

/// <summary>
/// Reads and writes HuggingFace sequence-classification model directories with one label
/// (cross-encoder rerankers): <c>BertForSequenceClassification</c> (such as
/// <c>cross-encoder/ms-marco-MiniLM-L-6-v2</c>) and <c>DistilBertForSequenceClassification</c>, the
/// architecture chosen by config.json's <c>model_type</c> (or <c>architectures</c>) through
/// <see cref="MaskedLmArchitectures"/>; the same files as <see cref="HfCheckpoint"/> (config.json,
/// safetensors or pytorch_model.bin, tokenizer).
/// </summary>
public static class CrossEncoderCheckpoint
{
    private const string ClassifierWeight = "classifier.weight";

    /// <summary>
    /// The architecture's key names (a bare encoder's keys get its prefix), but BERT's pooler is used
    /// here and only buffers are dropped silently: a masked-LM head is reported as unused.
    /// </summary>
    private static HfCheckpoint.KeyRules KeyRules(MaskedLmArchitecture architecture) =>
        new(architecture.CanonicalName, c => c.EndsWith("position_ids", StringComparison.Ordinal), new Dictionary<string, string>());

    /// <summary>
    /// Loads a cross-encoder for scoring: its classifier must be in the checkpoint and have one
    /// label. Warnings (unused or missing keys) go to <paramref name="warnings"/> (null: nowhere).
    /// </summary>
    public static SequenceClassificationModel Load(string modelDir, out CheckpointLoadReport report, TextWriter? warnings = null)
    {
        var model = LoadAny(modelDir, out report, warnings, requireHead: true);
        model.eval();
        return model;
    }

    /// <summary>
    /// Loads a model to train as a cross-encoder: a cross-encoder checkpoint, or any BERT or DistilBERT
    /// checkpoint (a masked-LM, a SPLADE model) whose missing head (BERT's pooler, DistilBERT's
    /// pre_classifier, the one-logit classifier) starts from HuggingFace's initialisation, as
    /// <c>AutoModelForSequenceClassification</c> does.
    /// </summary>
    /// <param name="dropout">Every dropout of the model (hidden, attention, classifier); null: config.json's.</param>
    public static SequenceClassificationModel LoadForTraining(string modelDir, out CheckpointLoadReport report, TextWriter? warnings = null, double? dropout = null) =>
        LoadAny(modelDir, out report, warnings, requireHead: false, dropout);

    /// <summary>
    /// Writes the model in HuggingFace layout: config.json naming the architecture's sequence
    /// classifier (<c>BertForSequenceClassification</c>, <c>DistilBertForSequenceClassification</c>)
    /// with its labels, model.safetensors, and the tokenizer files of <paramref name="tokenizerDir"/>.
    /// </summary>
    public static void Save(SequenceClassificationModel model, string modelDir, string? tokenizerDir = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var config = JsonNode.Parse(model.Config.ToJson())!.AsObject();
        config["architectures"] = new JsonArray(Architecture(model.Config).SequenceClassifierClassName);
        var id2label = new JsonObject();
        var label2id = new JsonObject();
        for (var i = 0; i < model.NumLabels; i++)
        {
            id2label[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = $"LABEL_{i}";
            label2id[$"LABEL_{i}"] = i;
        }
        config["id2label"] = id2label;
        config["label2id"] = label2id;
        HfCheckpoint.Save(model, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), modelDir, tokenizerDir);
    }

    /// <summary>
    /// The number of labels config.json declares (<c>id2label</c>, else <c>num_labels</c>); null
    /// when it says nothing (HuggingFace then assumes 2).
    /// </summary>
    public static int? LabelCount(string modelDir)
    {
        var reader = HfConfigReader.FromFile(Path.Combine(modelDir, HfCheckpoint.ConfigFile));
        return reader.Raw["id2label"] switch
        {
            JsonObject labels => labels.Count,
            null => reader.Raw["num_labels"] is null ? null : reader.WholeNumber("num_labels", 2, 1, 1 << 16),
            _ => throw reader.Error("\"id2label\" must be an object"),
        };
    }

    private static MaskedLmArchitecture Architecture(MaskedLmConfig config) => MaskedLmArchitectures.ForModelType(config.ModelType, config.Source);

    private static SequenceClassificationModel LoadAny(string modelDir, out CheckpointLoadReport report, TextWriter? warnings, bool requireHead, double? dropout = null)
    {
        ArgumentNullException.ThrowIfNull(modelDir);
        var config = MaskedLmConfig.FromDirectory(modelDir);
        if (dropout is { } p)
            config = config.WithDropout(p);
        var architecture = Architecture(config);
        var labels = LabelCount(modelDir);
        var files = HfCheckpoint.WeightFiles(modelDir);
        if (requireHead && labels is not 1)
        {
            throw new DiscoException($"{Path.Combine(modelDir, HfCheckpoint.ConfigFile)}: a cross-encoder reranker has one label (one logit), "
                + (labels is null ? "but config.json declares none (HuggingFace then assumes 2; add \"id2label\": {\"0\": \"LABEL_0\"})" : $"this model has {labels}"));
        }
        TorchThreads.EnsureConfigured();
        var model = architecture.CreateSequenceClassifier(config, numLabels: 1, classifierDropout: dropout);
        try
        {
            report = HfCheckpoint.LoadInto(model, modelDir, files, KeyRules(architecture), architecture.SequenceClassifierClassName);
            if (requireHead && report.MissingKeys.Contains(ClassifierWeight))
            {
                throw new DiscoException($"{modelDir}: not a cross-encoder: the checkpoint has no '{ClassifierWeight}' "
                    + "(a masked-LM or SPLADE model cannot rerank; train one with 'disco train cross-encoder')");
            }
        }
        catch
        {
            model.Dispose();
            throw;
        }
        // A masked-LM checkpoint's MLM head is what a classifier model does not use: not worth a warning.
        if (!requireHead)
            report = report with { UnexpectedKeys = [.. report.UnexpectedKeys.Where(k => !architecture.IsMaskedLmHead(architecture.CanonicalName(k)))] };
        HfCheckpoint.Warn(report, warnings);
        return model;
    }
}

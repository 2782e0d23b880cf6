using System.Collections;
using System.Globalization;

namespace Disco.Cli.Configuration;

/// <summary>
/// How the keys of DiSCo's and SPLADE's Hydra configurations (sections <c>config</c>, <c>data</c>,
/// <c>init_dict</c>, <c>hf</c>) become disco configuration keys (option names in snake_case), per
/// verb (docs/configuration.md has the table). Keys the target verb has no option for are
/// reported, not fatal, because one Hydra file serves training, indexing and retrieval alike.
/// </summary>
public static class HydraKeyMap
{
    private static readonly (string Hydra, string Disco)[] Index =
    [
        ("config.index_dir", "out"),
        ("data.COLLECTION_PATH", "collection"),
        ("config.max_length", "max_length"),
        ("config.index_retrieve_batch_size", "batch_size"),
    ];

    private static readonly (string Hydra, string Disco)[] Retrieve =
    [
        ("config.index_dir", "index"),
        ("config.out_dir", "out"),
        ("config.top_k", "top_k"),
        ("config.threshold", "threshold"),
        ("config.max_length", "max_length"),
        ("config.index_retrieve_batch_size", "batch_size"),
        ("data.Q_COLLECTION_PATH", "queries"),
        ("data.EVAL_QREL_PATH", "qrels"),
        ("config.eval_metric", "measure"),
        ("config.retrieval_name", "name"),
    ];

    private static readonly (string Hydra, string Disco)[] Train =
    [
        ("config.checkpoint_dir", "out"),
        ("config.lr", "lr"),
        ("config.train_batch_size", "batch_size"),
        ("config.seed", "seed"),
        ("config.max_length", "max_length"),
        ("config.fp16", "fp16"),
        ("init_dict.freeze_d_model", "freeze_doc_model"),
        ("data.TRAIN.DATASET_PATH", "teacher_run"),
        ("data.TRAIN.D_COLLECTION_PATH", "collection"),
        ("data.TRAIN.Q_COLLECTION_PATH", "queries"),
        ("data.TRAIN.QREL_PATH", "qrels"),
        ("hf.data.n_negatives", "negatives"),
        ("hf.training.num_train_epochs", "epochs"),
        ("hf.training.warmup_ratio", "warmup_ratio"),
        ("hf.training.weight_decay", "weight_decay"),
        ("hf.training.logging_steps", "logging_steps"),
        ("hf.training.max_grad_norm", "max_grad_norm"),
        ("hf.model.shared_weights", "shared_weights"),
    ];

    /// <summary>The plain key pairs for a verb (without the model-path rules of <see cref="Map"/>).</summary>
    public static IReadOnlyList<(string Hydra, string Disco)> For(string verb) => verb switch
    {
        "index" => Index,
        "retrieve" => Retrieve,
        _ when IsTraining(verb) => Train,
        _ => [],
    };

    /// <summary><c>train</c> and its recipes (<c>train disco</c>, <c>train splade</c>).</summary>
    private static bool IsTraining(string verb) => verb == "train" || verb.StartsWith("train ", StringComparison.Ordinal);

    /// <summary>
    /// Maps a Hydra tree onto a verb's disco keys. <paramref name="knownKeys"/> are the verb's
    /// setting keys; mapped keys outside it go to <paramref name="skipped"/>. Model paths follow
    /// DiSCo's inference rules (spec §1.2): with <c>config.hf_training: true</c> the document encoder
    /// is <c>checkpoint_dir/model</c> and the query encoder <c>checkpoint_dir/model/query</c> (when
    /// <c>model_type_or_dir_q</c> is set); otherwise the ids or paths in <c>init_dict</c>, the query
    /// side falling back to the document model when <c>model_type_or_dir_q</c> is null.
    /// </summary>
    public static ConfigTree Map(ConfigTree hydra, string verb, IReadOnlySet<string> knownKeys, List<string> skipped)
    {
        ArgumentNullException.ThrowIfNull(hydra);
        ArgumentNullException.ThrowIfNull(knownKeys);
        ArgumentNullException.ThrowIfNull(skipped);
        var mapped = new ConfigTree();
        void Put(string hydraKey, string discoKey, object? value)
        {
            if (knownKeys.Contains(discoKey))
            {
                Placeholder.Check(hydraKey, value);
                mapped.Root[discoKey] = value;
            }
            else
            {
                skipped.Add(hydraKey);
            }
        }
        foreach (var (hydraKey, discoKey) in For(verb))
        {
            if (hydra.TryGet(hydraKey, out var value))
                Put(hydraKey, discoKey, value);
        }
        // Training reads init_dict as its starting point; checkpoint_dir is its output, not a model to load.
        var training = IsTraining(verb);
        var docModel = ModelPaths(hydra, inference: !training, out var queryModel);
        if (docModel is not null)
        {
            // A verb that takes a query encoder (retrieve) reads its --model as that one.
            foreach (var key in training || knownKeys.Contains("query_model") ? ["doc_model"] : new[] { "model", "doc_model" })
            {
                if (knownKeys.Contains(key))
                    Put("init_dict.model_type_or_dir", key, docModel);
            }
        }
        if (queryModel is not null && knownKeys.Contains("query_model"))
            Put("init_dict.model_type_or_dir_q", "query_model", queryModel);
        if (training)
            AddTrainingExtras(hydra, (hydraKey, discoKey, value) => { if (value is not null) Put(hydraKey, discoKey, value); });
        return mapped;
    }

    /// <summary>
    /// DiSCo's rank window and regularisation (spec §2.1, <c>convertl2i2hf</c>): negatives come from
    /// teacher ranks <c>[TOPK_mi, TOPK_mi + TOPK_ma)</c>; <c>λ_d</c> and its warmup from
    /// <c>regularizer.FLOPS</c>; <c>λ_q</c> and its warmup from <c>regularizer.L1</c> only when
    /// <c>L1.T</c> is set — otherwise, DiSCo's quirk reproduced on purpose so the same file trains the
    /// same model, <c>FLOPS.lambda_q</c> (or <c>λ_d</c>) with <c>FLOPS.T</c>.
    /// </summary>
    private static void AddTrainingExtras(ConfigTree hydra, Action<string, string, string?> put)
    {
        string? Get(string key) => hydra.TryGet(key, out var v) ? ConfigTree.ScalarText(v) : null;
        if (Get("data.TRAIN.TOPK_mi") is { } start && Get("data.TRAIN.TOPK_ma") is { } size
            && int.TryParse(start, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            && int.TryParse(size, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            put("data.TRAIN.TOPK_mi", "rank_window", string.Create(CultureInfo.InvariantCulture, $"{s}:{s + n}"));
        var lambdaD = Get("config.regularizer.FLOPS.lambda_d");
        var warmupD = Get("config.regularizer.FLOPS.T") ?? (lambdaD is null ? null : "0");
        put("config.regularizer.FLOPS.lambda_d", "lambda_d", lambdaD);
        put("config.regularizer.FLOPS.T", "reg_warmup_d", warmupD);
        if (Get("config.regularizer.L1.T") is { } l1T)
        {
            put("config.regularizer.L1.lambda_q", "lambda_q", Get("config.regularizer.L1.lambda_q"));
            put("config.regularizer.L1.T", "reg_warmup_q", l1T);
        }
        else
        {
            put("config.regularizer.FLOPS.lambda_q", "lambda_q", Get("config.regularizer.FLOPS.lambda_q") ?? lambdaD);
            put("config.regularizer.FLOPS.T", "reg_warmup_q", warmupD);
        }
    }

    private static string? ModelPaths(ConfigTree hydra, bool inference, out string? queryModel)
    {
        hydra.TryGet("init_dict.model_type_or_dir", out var d);
        hydra.TryGet("init_dict.model_type_or_dir_q", out var q);
        hydra.TryGet("config.hf_training", out var hfTraining);
        hydra.TryGet("config.pretrained_no_yamlconfig", out var pretrained);
        hydra.TryGet("config.checkpoint_dir", out var checkpoint);
        var doc = ConfigTree.ScalarText(d);
        var query = ConfigTree.ScalarText(q);
        if (inference && IsTrue(hfTraining) && !IsTrue(pretrained) && ConfigTree.ScalarText(checkpoint) is { } dir && !Placeholder.Is(dir))
        {
            doc = Path.Combine(dir, "model");
            query = query is null ? null : Path.Combine(dir, "model", "query");
        }
        // Inference falls back to the document model for queries (shared weights); training keeps null.
        queryModel = inference ? query ?? doc : query;
        return doc;
    }

    private static bool IsTrue(object? value)
        => ConfigTree.ScalarText(value)?.Trim().ToUpperInvariant() is "TRUE" or "1" or "YES" or "ON";

    /// <summary>Hydra's "must be given" markers: <c>???</c> (and DiSCo's <c>??</c>).</summary>
    internal static class Placeholder
    {
        public static bool Is(object? value) => ConfigTree.ScalarText(value) is "???" or "??";

        public static void Check(string key, object? value)
        {
            if (Is(value) || value is IList list && list.Cast<object?>().Any(Is))
                throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{key} has no value in the configuration (it is a ??? placeholder); pass {key}=..."));
        }
    }
}

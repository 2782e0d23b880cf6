using System.Globalization;
using System.Text.RegularExpressions;

namespace Disco.Cli.Configuration;

/// <summary>
/// Hydra compatibility for verbs whose options are plain flags (<c>index</c>, <c>train</c>): a command
/// line with <c>--config-name FILE</c> and <c>a.b.c=value</c> overrides is rewritten into the verb's
/// flags before parsing, through <see cref="HydraKeyMap"/>, so the seed README's
/// <c>python -m splade.index|hf_train --config-name=... key=value ...</c> runs as <c>disco index|train ...</c>.
/// Flags given explicitly win over the Hydra file.
/// </summary>
public static partial class HydraArguments
{
    private static readonly Dictionary<string, (string Key, string Flag)[]> FlagsByVerb = new(StringComparer.Ordinal)
    {
        ["index"] =
        [
            ("model", "--model"), ("collection", "--collection"), ("index", "--out"),
            ("batch_size", "--batch-size"), ("max_length", "--max-length"),
        ],
        ["train"] =
        [
            ("doc_model", "--doc-model"), ("query_model", "--query-model"), ("out", "--out"),
            ("teacher_run", "--teacher-run"), ("collection", "--collection"), ("queries", "--queries"), ("qrels", "--qrels"),
            ("learning_rate", "--lr"), ("batch_size", "--batch-size"), ("seed", "--seed"), ("max_length", "--max-length"),
            ("negatives", "--negatives"), ("epochs", "--epochs"), ("warmup_ratio", "--warmup-ratio"),
            ("weight_decay", "--weight-decay"), ("max_grad_norm", "--max-grad-norm"),
        ],
    };

    /// <summary>The verbs rewritten here; the others read Hydra files themselves (<see cref="CommandConfiguration"/>).</summary>
    public static IReadOnlyCollection<string> Verbs => FlagsByVerb.Keys;

    public static string[] Rewrite(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || !FlagsByVerb.TryGetValue(args[0], out var flags))
            return args;
        string? name = null, folder = null;
        var overrides = new List<ConfigOverride>();
        var rest = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            var token = args[i];
            if (TakeOption(args, ref i, "--config-name", out var value))
                name = value;
            else if (TakeOption(args, ref i, "--config-path", out value))
                folder = value;
            else if (OverridePattern().IsMatch(token) && (i == 1 || !args[i - 1].StartsWith("--", StringComparison.Ordinal) || args[i - 1].Contains('=', StringComparison.Ordinal)))
                overrides.Add(ConfigOverride.Parse(token));
            else
                rest.Add(token);
        }
        var file = CommandConfiguration.HydraFile(name, folder, overrides.Count > 0);
        if (file is null)
            return args;
        var hydra = HydraComposition.Load(file, overrides);
        foreach (var o in overrides)
            o.ApplyTo(hydra, strict: true);
        var mapped = HydraKeyMap.Map(hydra, args[0], flags.Select(f => f.Key).ToHashSet(StringComparer.Ordinal), []);
        var given = rest.Where(t => t.StartsWith("--", StringComparison.Ordinal)).Select(t => t.Split('=')[0]).ToHashSet(StringComparer.Ordinal);
        var result = new List<string> { args[0] };
        void Add(string flag, string? value)
        {
            if (value is not null && !given.Contains(flag))
                result.AddRange([flag, value]);
        }
        foreach (var (key, flag) in flags)
        {
            if (mapped.Root.TryGetValue(key, out var value))
                Add(flag, Single(value));
        }
        if (args[0] == "train")
            AddTrainingExtras(hydra, Add);
        result.AddRange(rest);
        return [.. result];
    }

    /// <summary>
    /// DiSCo's rank window and regularisation (spec §2.1, <c>convertl2i2hf</c>): negatives come from
    /// teacher ranks <c>[TOPK_mi, TOPK_mi + TOPK_ma)</c>; <c>λ_d</c> and its warmup from
    /// <c>regularizer.FLOPS</c>; <c>λ_q</c> and its warmup from <c>regularizer.L1</c> only when
    /// <c>L1.T</c> is set — otherwise, DiSCo's quirk reproduced on purpose so the same file trains the
    /// same model, <c>FLOPS.lambda_q</c> (or <c>λ_d</c>) with <c>FLOPS.T</c>.
    /// </summary>
    private static void AddTrainingExtras(ConfigTree hydra, Action<string, string?> add)
    {
        string? Get(string key) => hydra.TryGet(key, out var v) ? ConfigTree.ScalarText(v) : null;
        if (Get("data.TRAIN.TOPK_mi") is { } start && Get("data.TRAIN.TOPK_ma") is { } size
            && int.TryParse(start, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            && int.TryParse(size, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            add("--rank-window", string.Create(CultureInfo.InvariantCulture, $"{s}:{s + n}"));
        var lambdaD = Get("config.regularizer.FLOPS.lambda_d");
        var warmupD = Get("config.regularizer.FLOPS.T") ?? (lambdaD is null ? null : "0");
        add("--lambda-d", lambdaD);
        add("--reg-warmup-d", warmupD);
        if (Get("config.regularizer.L1.T") is { } l1T)
        {
            add("--lambda-q", Get("config.regularizer.L1.lambda_q"));
            add("--reg-warmup-q", l1T);
        }
        else
        {
            add("--lambda-q", Get("config.regularizer.FLOPS.lambda_q") ?? lambdaD);
            add("--reg-warmup-q", warmupD);
        }
    }

    private static string? Single(object? value) => value switch
    {
        System.Collections.IList { Count: 1 } list => ConfigTree.ScalarText(list[0]),
        System.Collections.IList list => throw new UsageException($"expected one value, found a list of {list.Count.ToString(CultureInfo.InvariantCulture)}"),
        _ => ConfigTree.ScalarText(value),
    };

    private static bool TakeOption(string[] args, ref int i, string option, out string? value)
    {
        value = null;
        if (args[i].StartsWith(option + "=", StringComparison.Ordinal))
        {
            value = args[i][(option.Length + 1)..];
            return true;
        }
        if (args[i] != option)
            return false;
        if (i + 1 >= args.Length)
            throw new UsageException($"{option} needs a value");
        value = args[++i];
        return true;
    }

    [GeneratedRegex(@"^\+{0,2}[A-Za-z_][A-Za-z0-9_.\-]*=")]
    private static partial Regex OverridePattern();
}

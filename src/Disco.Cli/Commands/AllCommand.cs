using System.Collections;
using System.CommandLine;
using System.Globalization;
using Disco.Cli.Configuration;
using Disco.Core;
using Disco.Core.IO;
using Disco.Experiments;

namespace Disco.Cli.Commands;

/// <summary>
/// <c>disco all</c>: naver/splade's <c>python -m splade.all</c> — train, index, retrieve and evaluate
/// from one Hydra configuration, each stage skipped when its output is complete
/// (<see cref="ExperimentPipeline"/>). The configuration is composed once (defaults lists, group
/// choices and overrides), saved as <c>OUT/disco-all/config.yaml</c>, and every stage is the
/// corresponding verb run on that file, so <c>disco all</c> reads the keys exactly as
/// <c>disco train</c>, <c>disco index</c> and <c>disco retrieve</c> do (docs/configuration.md).
/// </summary>
public static class AllCommand
{
    /// <summary>The folder under <c>config.out_dir</c> holding the composed configuration and the stages' state.</summary>
    public const string StateFolder = "disco-all";

    public static Command Create()
    {
        var recipe = new Option<string?>("--recipe") { Description = "Training recipe: splade (SPLADE's trainer on data.TRAIN_DATA_DIR triplets or data.TRAIN.DATASET_PATH scores) or disco (DiSCo distillation); default: disco for DiSCo's files (config.hf_training with init_dict.model_type_or_dir_q), else splade" };
        recipe.AcceptOnlyFromAmong("splade", "disco");
        var force = new Option<bool>("--force") { Description = "Run every stage, even those whose output is complete" };
        var command = new Command("all", "Train, index, retrieve and evaluate from one configuration (SPLADE's splade.all), skipping completed stages")
        {
            recipe, force,
        };
        // --config-name, --config-path and the Hydra overrides: the configuration mechanism's own options.
        CommandConfiguration.AddTo(command);
        command.SetAction(parse =>
        {
            var bare = (parse.GetValue<string[]>("overrides") ?? []).Select(ConfigOverride.Parse).ToList();
            var file = CommandConfiguration.HydraFile(parse.GetValue<string?>("--config-name"), parse.GetValue<string?>("--config-path"), haveOverrides: true)
                ?? throw new UsageException("disco all needs a configuration: --config-name FILE, or SPLADE_CONFIG_NAME / SPLADE_CONFIG_FULLPATH as in naver/splade");
            var tree = HydraComposition.Compose(file, bare);
            var plan = ExperimentPlan.From(tree, parse.GetValue(recipe));
            var state = Path.Combine(plan.OutDir, StateFolder);
            Directory.CreateDirectory(state);
            var composed = Path.Combine(state, "config.yaml");
            AtomicFile.WriteAllText(composed, $"# composed by disco all {CommandConfiguration.DiscoVersion} from {file}\n" + tree.ToYaml());
            var root = parse.RootCommandResult.Command as RootCommand ?? throw new InvalidOperationException("disco all runs under the root command");
            var stages = plan.Stages(composed).Select(s => new ExperimentStage(s.Name, plan.Settings(s.Name, s.Arguments), s.Outputs, () => RunVerb(root, s.Name, s.Arguments))).ToList();
            var outcomes = new ExperimentPipeline(state).Run(stages, parse.GetValue(force),
                o => Console.Error.WriteLine($"disco all: {o.Stage}: {(o.Ran ? "running" : "skipped")} ({o.Reason})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"disco all: {outcomes.Count(o => o.Ran)} stage(s) run, {outcomes.Count(o => !o.Ran)} skipped; configuration {composed}; results in {plan.OutDir}"));
            return 0;
        });
        return command;
    }

    private static void RunVerb(RootCommand root, string stage, IReadOnlyList<string> arguments)
    {
        Console.Error.WriteLine($"disco all: disco {string.Join(' ', arguments.Select(Quote))}");
        var code = CliErrors.Run(root, [.. arguments]);
        if (code != 0)
            throw new DiscoException($"stage {stage} failed (exit code {code}); its output is not marked complete");
    }

    private static string Quote(string word) => word.Any(char.IsWhiteSpace) ? $"\"{word}\"" : word;

    /// <summary>The stages a composed configuration asks for, as verb command lines.</summary>
    private sealed record ExperimentPlan(ConfigTree Tree, string CheckpointDir, string IndexDir, string OutDir, string? Recipe)
    {
        public static ExperimentPlan From(ConfigTree tree, string? recipe)
        {
            var checkpoint = Required(tree, "config.checkpoint_dir");
            var index = Required(tree, "config.index_dir");
            var outDir = Required(tree, "config.out_dir");
            // SPLADE's pretrained_no_yamlconfig: evaluate init_dict's model as it is, no training.
            var train = !IsTrue(Text(tree, "config.pretrained_no_yamlconfig"));
            recipe ??= IsTrue(Text(tree, "config.hf_training")) && Text(tree, "init_dict.model_type_or_dir_q") is not null ? "disco" : "splade";
            return new ExperimentPlan(tree, checkpoint, index, outDir, train ? recipe : null);
        }

        /// <summary>SPLADE's classic training keys → <c>disco train splade</c> flags (the FLOPS warmup T serves both sides, as in SPLADE).</summary>
        private static readonly (string Flag, string Key)[] SpladeTrainingFlags =
        [
            ("--lr", "config.lr"), ("--batch-size", "config.train_batch_size"), ("--seed", "config.seed"), ("--max-length", "config.max_length"),
            ("--max-steps", "config.nb_iterations"), ("--warmup-steps", "config.warmup_steps"),
            ("--lambda-d", "config.regularizer.FLOPS.lambda_d"), ("--lambda-q", "config.regularizer.FLOPS.lambda_q"),
            ("--reg-warmup-d", "config.regularizer.FLOPS.T"), ("--reg-warmup-q", "config.regularizer.FLOPS.T"),
        ];

        public IEnumerable<(string Name, string[] Arguments, string[] Outputs)> Stages(string composed)
        {
            string[] hydra = ["--config-name", composed];
            var trainedModel = Path.Combine(CheckpointDir, "model");
            if (Recipe == "splade")
            {
                var model = Text(Tree, "init_dict.model_type_or_dir") ?? throw new UsageException("init_dict.model_type_or_dir: the model to train is not set");
                // SPLADE's classic trainer reads keys DiSCo's files (the train verb's Hydra map) do not use, so its flags are spelled out.
                List<string> args = ["train", "splade", "--model", model, "--out", CheckpointDir];
                foreach (var (flag, key) in SpladeTrainingFlags)
                    AddFlag(args, flag, key);
                if (Text(Tree, "data.TRAIN_DATA_DIR") is { } triplets)
                {
                    args.AddRange(["--triplets", triplets]);
                }
                else if (Text(Tree, "data.TRAIN.DATASET_PATH") is { } scores)
                {
                    args.AddRange(["--hard-negatives", scores]);
                    AddFlag(args, "--queries", "data.TRAIN.Q_COLLECTION_PATH");
                    AddFlag(args, "--collection", "data.TRAIN.D_COLLECTION_PATH");
                    AddFlag(args, "--qrels", "data.TRAIN.QREL_PATH");
                }
                else
                {
                    throw new UsageException("the splade recipe needs data.TRAIN_DATA_DIR (triplets) or data.TRAIN.DATASET_PATH (scored negatives)");
                }
                if (Text(Tree, "config.loss") is { } loss)
                    args.AddRange(["--loss", Loss(loss)]);
                yield return ("train", [.. args], [Path.Combine(trainedModel, "config.json")]);
            }
            else if (Recipe == "disco")
            {
                // Bare `train` with a Hydra file is DiSCo's training (the seed's command line).
                yield return ("train", ["train", .. hydra], [trainedModel]);
            }
            // After SPLADE-recipe training both sides use the trained model; DiSCo's files name
            // checkpoint_dir/model and model/query themselves (config.hf_training), read by the verbs.
            string[] indexModel = Recipe == "splade" ? ["--model", trainedModel] : [];
            string[] queryModel = Recipe == "splade" ? ["--query-model", trainedModel] : [];
            yield return ("index", ["index", .. hydra, .. indexModel], [Path.Combine(IndexDir, "meta.json")]);
            var queries = List(Tree, "data.Q_COLLECTION_PATH");
            var names = List(Tree, "config.retrieval_name");
            var runs = (names.Count > 0 ? names : queries.Select(q => Path.GetFileNameWithoutExtension(q))).Select(n => Path.Combine(OutDir, n, "run.trec")).ToArray();
            yield return ("retrieve", ["retrieve", .. hydra, .. queryModel], runs);
        }

        /// <summary>
        /// What a stage's result depends on: its command line and the configuration values its verb
        /// reads — for index and retrieve the keys their Hydra map reads and init_dict; for training
        /// everything but the keys only indexing and retrieval read (so a new top_k retrieves again
        /// without training again).
        /// </summary>
        public string Settings(string stage, IReadOnlyList<string> arguments)
        {
            var lines = new List<string>(arguments);
            var later = HydraKeyMap.For("index").Concat(HydraKeyMap.For("retrieve")).Select(p => p.Hydra).Except(HydraKeyMap.For("train").Select(p => p.Hydra)).ToHashSet(StringComparer.Ordinal);
            var read = HydraKeyMap.For(stage).Select(p => p.Hydra).ToHashSet(StringComparer.Ordinal);
            foreach (var (key, value) in Tree.Leaves())
            {
                var relevant = stage == "train" ? !later.Contains(key) : read.Contains(key) || key.StartsWith("init_dict.", StringComparison.Ordinal);
                if (relevant)
                    lines.Add($"{key}={Flatten(value)}");
            }
            return string.Join('\n', lines);
        }

        private static string Flatten(object? value) => value is IList list ? "[" + string.Join(",", list.Cast<object?>().Select(Flatten)) + "]" : ConfigTree.ScalarText(value) ?? "null";

        private void AddFlag(List<string> args, string flag, string key)
        {
            if (Text(Tree, key) is { } value)
                args.AddRange([flag, value]);
        }

        /// <summary>SPLADE's loss names (<c>config.loss</c>) in the splade recipe's spelling.</summary>
        private static string Loss(string name) => name switch
        {
            "InBatchPairwiseNLL" or "PairwiseNLL" => "in-batch-nll",
            "DistilMarginMSE" => "margin-mse",
            "DistilKLLoss" or "KlDiv" => "kl",
            _ => throw new UsageException($"config.loss {name} is not supported by the splade recipe (InBatchPairwiseNLL, DistilMarginMSE, DistilKLLoss)"),
        };

        private static string Required(ConfigTree tree, string key) =>
            Text(tree, key) is { } v && !HydraKeyMap.Placeholder.Is(v) ? v : throw new UsageException($"{key} has no value in the configuration; pass {key}=...");

        private static string? Text(ConfigTree tree, string key) => tree.TryGet(key, out var v) ? ConfigTree.ScalarText(v) : null;

        private static List<string> List(ConfigTree tree, string key) =>
            !tree.TryGet(key, out var v) || v is null ? [] : v is IList list ? [.. list.Cast<object?>().Select(ConfigTree.ScalarText).OfType<string>()] : [ConfigTree.ScalarText(v)!];

        private static bool IsTrue(string? value) => value?.Trim().ToUpperInvariant() is "TRUE" or "1" or "YES" or "ON";
    }
}

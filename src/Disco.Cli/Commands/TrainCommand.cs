using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Disco.Training;

namespace Disco.Cli.Commands;

/// <summary>
/// `disco train disco|splade`: one subcommand per recipe, each with its own flags and defaults.
/// `disco train --recipe disco|splade ...` and a bare `disco train ...` (DiSCo, as the Hydra
/// command line becomes) are aliases that re-parse the same words under the subcommand.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var disco = TrainDiscoCommand.Create();
        var splade = TrainSpladeCommand.Create();
        var recipe = new Option<string>("--recipe") { Description = "Alias of the subcommands: train --recipe splade ... is train splade ...", DefaultValueFactory = _ => disco.Name };
        recipe.AcceptOnlyFromAmong(disco.Name, splade.Name);
        var command = new Command("train", "Train a query encoder: DiSCo distillation (train disco) or classic SPLADE (train splade); or a reranker (train cross-encoder)") { disco, splade, recipe };
        command.Subcommands.Add(TrainCrossEncoderCommand.Create());
        // Hidden stand-ins for the recipes' flags, so the alias reads `train --out disco` as a
        // value and not as the subcommand; their values are re-parsed by the subcommand itself.
        foreach (var option in disco.Options.Concat(splade.Options).DistinctBy(o => o.Name))
        {
            Option standIn = option is Option<bool> ? new Option<bool>(option.Name, [.. option.Aliases]) : new Option<string>(option.Name, [.. option.Aliases]);
            standIn.Hidden = true;
            command.Options.Add(standIn);
        }
        command.SetAction(parse =>
        {
            var words = new List<string> { command.Name, parse.GetValue(recipe)! };
            var tokens = parse.Tokens;
            for (var i = 0; i < tokens.Count; i++)
            {
                if (tokens[i].Type == TokenType.Command && tokens[i].Value == command.Name && words.Count == 2)
                    continue;
                if (tokens[i].Type == TokenType.Option && tokens[i].Value == recipe.Name)
                {
                    if (i + 1 < tokens.Count && tokens[i + 1].Type == TokenType.Argument)
                        i++;
                    continue;
                }
                words.Add(tokens[i].Value);
            }
            return CliErrors.Run((RootCommand)parse.RootCommandResult.Command, [.. words]);
        });
        return command;
    }

    /// <summary>Runs the shared loop over <paramref name="recipe"/> with a progress bar, then disposes the recipe.</summary>
    internal static int Train(ITrainingRecipe recipe, TrainingLoopOptions options, CancellationToken cancellation)
    {
        using (recipe)
        {
            using var loop = new TrainingLoop(recipe, options, Console.Error);
            TrainingSummary summary;
            try
            {
                using var progress = new ConsoleProgress("train", loop.TotalSteps - loop.StartStep);
                summary = loop.Run(progress, cancellation);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine($"interrupted: the last finished step is saved in {options.OutputDir}; continue with --resume {CheckpointLayout.CheckpointPrefix}N");
                return 130;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"trained {summary.StepsRun} steps (to step {summary.FinalStep}) in {summary.Seconds:F1}s; last loss {summary.LastLoss:G6}; model in {summary.FinalModelDir}"));
            if (summary.BestValidation is { } best)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best validation MRR@10 {best.MrrAt10:F4} at step {summary.BestStep}"));
            return 0;
        }
    }
}

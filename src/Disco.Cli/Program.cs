using System.CommandLine;
using Disco.Cli;
using Disco.Cli.Commands;

var root = new RootCommand("disco: learned sparse retrieval (SPLADE, DiSCo) for conversational search");
root.Options.Add(CliErrors.VerboseOption);
// One line per verb; each command class builds its own options and action.
root.Subcommands.Add(QuickstartCommand.Create());
root.Subcommands.Add(ConvertCommand.Create());
root.Subcommands.Add(RetrieveCommand.Create());
root.Subcommands.Add(RunsCommand.Create());
root.Subcommands.Add(IndexCommand.Create());
root.Subcommands.Add(SearchCommand.Create());
root.Subcommands.Add(RerankCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(EncodeCommand.Create());
root.Subcommands.Add(ExpandCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(BeirCommand.Create());
root.Subcommands.Add(AllCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(TeacherCommand.Create());
root.Subcommands.Add(ExportCommand.Create());

return CliErrors.Run(root, args);

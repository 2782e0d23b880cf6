using Disco.Hub;
using Disco.Retrieval;

namespace Disco.Cli.Options;

/// <summary>How the CLI reaches models: the HuggingFace environment, progress bars for downloads, warnings on stderr.</summary>
internal static class CliModels
{
    public static ModelLoader Loader(string revision = HubOptions.DefaultRevision) =>
        new(HubOptions.FromEnvironment() with { Revision = revision, Progress = new ConsoleDownloadProgress() }) { Warnings = Console.Error };
}

using Disco.Hub;
using Disco.Retrieval;

namespace Disco.Cli.Options;

/// <summary>How the CLI reaches models: the HuggingFace environment, progress bars for downloads, warnings on stderr.</summary>
internal static class CliModels
{
    /// <param name="backend">Which runtimes may load the model (default: what the folder holds).</param>
    public static ModelLoader Loader(string revision = HubOptions.DefaultRevision, EncoderBackendOptions? backend = null) =>
        new(HubOptions.FromEnvironment() with { Revision = revision, Progress = new ConsoleDownloadProgress() }, backend is null ? null : EncoderFactories.Create(backend)) { Warnings = Console.Error };
}

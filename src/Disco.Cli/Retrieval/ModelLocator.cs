using Disco.Cli.Commands;
using Disco.Hub;

namespace Disco.Cli.Retrieval;

/// <summary>Resolves a <c>--model</c> value (directory or HuggingFace id) to a model folder, DiSCo's <c>model/query</c> layout included.</summary>
public static class ModelLocator
{
    public static string Resolve(string idOrDirectory, string revision, bool query)
    {
        var options = HubOptions.FromEnvironment() with { Revision = revision };
        return ModelOptions.ResolveModelDirectory(HubModelResolver.Resolve(idOrDirectory, options), query);
    }
}

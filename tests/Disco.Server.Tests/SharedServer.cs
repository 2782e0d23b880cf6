namespace Disco.Server.Tests;

/// <summary>One server with default options over the tiny collection, shared by a test class.</summary>
public sealed class SharedServer : IAsyncLifetime
{
    public TinyCorpus Collection { get; } = new();

    public RunningServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await RunningServer.StartAsync(Collection.Options());

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Collection.Dispose();
    }
}

using Disco.Core;
using Disco.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Disco.Server.Tests;

/// <summary>The models' load warnings (the CLI's stderr lines) reach the server's log as warnings.</summary>
public sealed class LoadWarningTests : IClassFixture<TinyCorpus>
{
    private readonly TinyCorpus _corpus;

    public LoadWarningTests(TinyCorpus corpus) => _corpus = corpus;

    [Fact]
    public async Task A_disco_output_without_its_completion_marker_is_served_with_a_warning_in_the_log()
    {
        using var dir = new TempDirectory();
        // A DiSCo training output's model folder: the document encoder, query/ beside it, no marker.
        var model = dir.File("model");
        var query = Path.Combine(model, "query");
        Directory.CreateDirectory(query);
        foreach (var file in Directory.GetFiles(Fixtures.TinySplade))
        {
            File.Copy(file, Path.Combine(model, Path.GetFileName(file)));
            File.Copy(file, Path.Combine(query, Path.GetFileName(file)));
        }
        var log = await StartAsync(model);
        var warning = Assert.Single(log, e => e.Level == LogLevel.Warning);
        Assert.Equal($"{model}: no {DiscoModelLayout.CompleteFile}, so query/ may be from a save that did not finish (or an output older than the marker); loading it as the query encoder", warning.Message);

        // A plain model folder loads without one.
        Assert.DoesNotContain(await StartAsync(Fixtures.TinySplade), e => e.Level == LogLevel.Warning);
    }

    private async Task<List<(LogLevel Level, string Message)>> StartAsync(string queryModel)
    {
        var logger = new CapturingLogger();
        var options = new DiscoSearchOptions();
        _corpus.Options(o => o.QueryModel = queryModel)(options);
        using var service = new DiscoSearchService(Options.Create(options), logger);
        await service.StartAsync(TestContext.Current.CancellationToken);
        Assert.True(service.IsReady);
        return logger.Entries;
    }

    private sealed class CapturingLogger : ILogger<DiscoSearchService>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
                Entries.Add((logLevel, formatter(state, exception)));
        }
    }
}

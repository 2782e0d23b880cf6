using System.CommandLine;
using Disco.Cli.Options;
using Disco.Retrieval;
using Disco.Server;

namespace Disco.Cli.Commands;

/// <summary>`disco serve`: the search service over HTTP with its web page (docs/server.md); a thin adapter over <see cref="DiscoServer"/>.</summary>
public static class ServeCommand
{
    /// <summary>Where --api-key is read from when not given (a key on the command line shows in the process list).</summary>
    public const string ApiKeyVariable = "DISCO_API_KEY";

    public static Command Create()
    {
        var index = new Option<string>("--index") { Description = "Index directory; reopened on POST /v1/admin/reload or SIGHUP", Required = true };
        var encoding = new QueryEncoding();
        var searching = new SearchOptionGroup();
        var documentModel = new Option<string?>("--doc-model") { Description = "Document encoder for /v1/encode with kind document (default: the query model's document encoder)" };
        var collection = new Option<string?>("--collection") { Description = "Collection (TSV id<TAB>text or JSONL) whose passage texts answers carry" };
        var host = new Option<string>("--host") { Description = "Address to listen on: an IP address or localhost", DefaultValueFactory = _ => DiscoServerOptions.DefaultHost };
        var port = new Option<int>("--port") { Description = "TCP port (0: any free port)", DefaultValueFactory = _ => DiscoServerOptions.DefaultPort };
        var cors = new Option<string[]>("--cors") { Description = "Allow browser calls from this origin (repeatable); CORS is off without it" };
        var apiKey = new Option<string?>("--api-key") { Description = $"Require this key on /v1/* and /metrics (Authorization: Bearer KEY or X-API-Key); default ${ApiKeyVariable}" };
        var workers = new Option<int>("--search-workers") { Description = "Searches running at once", DefaultValueFactory = _ => Environment.ProcessorCount };
        var window = new Option<double>("--batch-window-ms") { Description = "How long a query waits for others to share its encoder call (0: encode what is waiting at once)", DefaultValueFactory = _ => MicroBatchOptions.DefaultWindowMilliseconds };
        var maxK = new Option<int>("--max-k") { Description = "Largest k a request may ask for", DefaultValueFactory = _ => DiscoSearchOptions.DefaultMaxK };
        var timeout = new Option<int>("--timeout-ms") { Description = "Requests running longer get 504 (raise it where one request may queue behind many slow encodings)", DefaultValueFactory = _ => (int)DiscoSearchOptions.DefaultRequestTimeout.TotalMilliseconds };
        var maxBody = new Option<long>("--max-body-bytes") { Description = "Largest request body (larger: 413)", DefaultValueFactory = _ => DiscoSearchOptions.DefaultMaxRequestBytes };
        var command = new Command("serve", "Serve conversational search over HTTP: JSON API, metrics, OpenAPI and a web page (docs/server.md)")
        {
            index, documentModel, collection, host, port, cors, apiKey, workers, window, maxK, timeout, maxBody,
        };
        encoding.AddTo(command);
        searching.AddTo(command);
        command.SetAction(parse =>
        {
            ThreadsOption.Apply(parse, encoding.Threads);
            var server = new DiscoServerOptions
            {
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                CorsOrigins = parse.GetValue(cors) ?? [],
                ReloadOnHangup = true,
            };
            var app = DiscoServer.Build(server, o =>
            {
                o.IndexDirectory = parse.GetValue(index)!;
                o.QueryModel = parse.GetValue(encoding.Encoder.Model!);
                o.DocumentModel = parse.GetValue(documentModel);
                o.Collection = parse.GetValue(collection);
                o.Encoder = encoding.Encoder.Build(parse);
                // Set before the search options that are bounded by it.
                o.MaxK = parse.GetValue(maxK);
                o.Retriever = new RetrieverOptions(
                    encoding.Flattening.Build(parse),
                    searching.Create(parse, o.MaxK),
                    new MicroBatchOptions(parse.GetValue(window), o.Encoder.BatchSize));
                o.Hub = encoding.Encoder.Loader(parse).Hub;
                o.Backend = encoding.Encoder.BuildBackend(parse);
                o.SearchWorkers = parse.GetValue(workers);
                o.RequestTimeout = TimeSpan.FromMilliseconds(parse.GetValue(timeout));
                o.MaxRequestBytes = parse.GetValue(maxBody);
                o.ApiKey = parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable(ApiKeyVariable);
            });
            app.Lifetime.ApplicationStarted.Register(() => Console.Error.WriteLine($"disco serve: listening on {string.Join(", ", DiscoServer.Addresses(app))} (Ctrl+C stops, SIGHUP reloads the index)"));
            app.Run();
            return 0;
        });
        return command;
    }
}

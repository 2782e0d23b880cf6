using System.CommandLine;
using System.Globalization;
using Disco.Cli.Configuration;
using Disco.Cli.Options;
using Disco.Cli.Retrieval;
using Disco.Core;
using Disco.Core.Conversations;
using Disco.Core.IO;
using Disco.Core.Queries;
using Disco.Core.Texts;
using Disco.Evaluation;
using Disco.Index;
using Disco.Retrieval;

namespace Disco.Cli.Commands;

/// <summary>
/// <c>disco quickstart</c>: from nothing to a ranked conversation in one command — the DiSCo pair of
/// encoders (SPLADE++ for passages, DiSCo for conversations), a built-in sample collection with
/// conversations and qrels, then index, answer one conversation (top passages with the terms that
/// matched) and evaluate every sample turn.
/// </summary>
public static class QuickstartCommand
{
    public const string DefaultDocModel = "naver/splade-cocondenser-ensembledistil";
    public const string DefaultQueryModel = "slupart/splade-disco-topiocqa-mistral";

    public static Command Create()
    {
        var docModel = new Option<string>("--doc-model") { Description = "Document encoder (SPLADE++): directory or HuggingFace id", DefaultValueFactory = _ => DefaultDocModel };
        var queryModel = new Option<string>("--query-model") { Description = "Query encoder (DiSCo, trained on TopiOCQA with Mistral rewrites as teacher): directory or HuggingFace id", DefaultValueFactory = _ => DefaultQueryModel };
        var encoder = new EncoderOptionGroup(modelDescription: null);
        var output = new Option<string>("--out") { Description = "Folder for the sample data, index, run and metrics", DefaultValueFactory = _ => "disco-quickstart" };
        var conversation = new Option<string?>("--conversation") { Description = "Sample turn to answer on screen, e.g. bees_4 (default: the last turn of the first conversation)" };
        var show = new Option<int>("--show") { Description = "Passages shown for the answered conversation", DefaultValueFactory = _ => 3 };
        var terms = new Option<int>("--terms") { Description = "Matching terms shown per passage", DefaultValueFactory = _ => 8 };
        var command = new Command("quickstart", "Index a sample collection with the DiSCo encoders, answer a conversation and evaluate")
        {
            docModel, queryModel, output, conversation, show, terms,
        };
        encoder.AddTo(command);
        command.SetAction(parse =>
        {
            var outDir = parse.GetValue(output)!;
            var docName = parse.GetValue(docModel)!;
            var loader = encoder.Loader(parse);
            var docDir = Locate(loader, docName, EncoderRole.Document);
            var queryDir = Locate(loader, parse.GetValue(queryModel)!, EncoderRole.Query);
            var dataDir = QuickstartSample.WriteTo(Path.Combine(outDir, "data"));
            CommandConfiguration.Save(parse, outDir);
            var encoderOptions = encoder.Build(parse);

            var indexDir = Path.Combine(outDir, "index");
            IndexMetadata meta;
            using (var docEncoder = loader.LoadDirectory(docDir, encoderOptions))
            using (var progress = new ConsoleProgress("indexing sample passages"))
                meta = IndexBuilder.FromCollection(Path.Combine(dataDir, QuickstartSample.CollectionFile), docEncoder, indexDir, progress: progress, buildInfo: new Dictionary<string, string> { ["model"] = docName });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"indexed {meta.Documents} sample passages ({meta.Postings} postings) with {docName} into {indexDir}"));

            var conversations = ConversationFile.Read(Path.Combine(dataDir, QuickstartSample.ConversationsFile)).ToList();
            var shown = parse.GetValue(conversation) is not { } wanted
                ? conversations.TakeWhile(c => c.Turns.Count > 1 || c == conversations[0]).Last()
                : conversations.FirstOrDefault(c => c.Id == wanted)
                  ?? throw new UsageException($"no sample conversation '{wanted}'; choose one of {string.Join(", ", conversations.Select(c => c.Id))}");

            using var queryEncoder = loader.LoadDirectory(queryDir, encoderOptions);
            using var index = SparseIndex.Open(indexDir);
            var retriever = new ConversationalRetriever(queryEncoder, index);
            var results = retriever.SearchMany([.. conversations.Select(Query.FromConversation)], batch: new BatchSearchOptions(Latencies: true, EncodeBatchSize: encoderOptions.BatchSize));
            var runDir = Path.Combine(outDir, "run");
            var run = RetrievalOutput.WriteRun(runDir, results);

            var passages = TextRecordFile.Read(Path.Combine(dataDir, QuickstartSample.CollectionFile)).ToDictionary(r => r.Id, r => r.Text, StringComparer.Ordinal);
            Show(shown, results.Results.Single(r => r.QueryId == shown.Id), passages, parse.GetValue(show), parse.GetValue(terms));

            var measures = MeasureSet.Parse(["mrr_10", "recall_10", "ndcg_cut_3"]);
            var result = RetrievalOutput.Evaluate(runDir, run, Path.Combine(dataDir, QuickstartSample.QrelsFile), measures, new EvaluationOptions(), "quickstart");
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"evaluation over {result.Queries.Count} sample turns: {RetrievalOutput.Summary(result)}"));
            Console.WriteLine($"run, metrics, latencies and configuration: {runDir}, {outDir}");
            return 0;
        });
        return command;
    }

    private static void Show(Conversation conversation, SearchResult retrieved, Dictionary<string, string> passages, int show, int terms)
    {
        Console.WriteLine();
        Console.WriteLine($"conversation {conversation.Id}:");
        foreach (var turn in conversation.Turns)
        {
            Console.WriteLine($"  user:   {turn.Question}");
            if (turn.Answer is not null)
                Console.WriteLine($"  system: {turn.Answer}");
        }
        var top = ConversationalRetriever.Explain(retrieved, show);
        Console.WriteLine("top passages:");
        for (var i = 0; i < top.Count; i++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {i + 1}. {top[i].DocumentId} ({top[i].Score:F2}) {passages[top[i].DocumentId]}"));
            var matched = top[i].MatchedTerms!.Take(terms).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Token} {t.Contribution:F2}"));
            Console.WriteLine($"     matched: {string.Join(", ", matched)}");
        }
    }

    /// <summary>Finds a model, or explains in one line how to supply it when it cannot be had.</summary>
    private static string Locate(ModelLoader loader, string model, EncoderRole role)
    {
        try
        {
            return loader.Locate(model, role);
        }
        catch (DiscoException e) when (!Directory.Exists(model))
        {
            throw new DiscoException(
                $"cannot get the {(role == EncoderRole.Query ? "query" : "document")} encoder '{model}' ({e.Message}). Give local copies of both encoders: "
                + "disco quickstart --doc-model DIR --query-model DIR (HuggingFace folders with config.json, vocab.txt and model.safetensors or pytorch_model.bin, "
                + $"e.g. from 'huggingface-cli download {DefaultDocModel}' and 'huggingface-cli download {DefaultQueryModel}' on a machine with network; "
                + "a HuggingFace cache in HF_HOME is used in place)", e);
        }
    }
}

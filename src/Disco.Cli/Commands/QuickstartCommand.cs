using System.CommandLine;
using System.Globalization;
using Disco.Cli.Configuration;
using Disco.Cli.Retrieval;
using Disco.Core;
using Disco.Core.Conversations;
using Disco.Core.IO;
using Disco.Core.Texts;
using Disco.Evaluation;
using Disco.Index;
using Disco.Modeling;
using Disco.Text;

namespace Disco.Cli.Commands;

/// <summary>
/// <c>disco quickstart</c>: from nothing to a ranked conversation in one command — the DiSCo pair of
/// encoders (SPLADE++ for passages, DiSCo for conversations), a built-in sample collection with
/// conversations and qrels, then index, answer one conversation (top passages with the terms that
/// matched) and evaluate every sample turn.
/// </summary>
public static class QuickstartCommand
{
    public static Command Create()
    {
        var docModel = new Option<string?>("--doc-model") { Description = $"Document encoder: directory or HuggingFace id (default {QuickstartSettings.DefaultDocModel})" };
        var queryModel = new Option<string?>("--query-model") { Description = $"Query encoder: directory or HuggingFace id (default {QuickstartSettings.DefaultQueryModel})" };
        var output = new Option<string?>("--out") { Description = "Folder for the sample data, index, run and metrics (default ./disco-quickstart)" };
        var conversation = new Option<string?>("--conversation") { Description = "Sample turn to answer on screen, e.g. bees_4" };
        var command = new Command("quickstart", "Index a sample collection with the DiSCo encoders, answer a conversation and evaluate")
        {
            docModel, queryModel, output, conversation,
        };
        var configuration = new CommandConfiguration();
        configuration.AddTo(command);
        command.SetAction(parse =>
        {
            var resolved = configuration.Resolve<QuickstartSettings>(parse, "quickstart", s =>
            {
                s.DocModel = parse.GetValue(docModel) ?? s.DocModel;
                s.QueryModel = parse.GetValue(queryModel) ?? s.QueryModel;
                s.Out = parse.GetValue(output) ?? s.Out;
                s.Conversation = parse.GetValue(conversation) ?? s.Conversation;
            });
            Run(resolved);
            return 0;
        });
        return command;
    }

    private static void Run(ResolvedConfiguration<QuickstartSettings> resolved)
    {
        var s = resolved.Settings;
        var docDir = Locate(s.DocModel, s.Revision, query: false, "document");
        var queryDir = Locate(s.QueryModel, s.Revision, query: true, "query");
        var dataDir = QuickstartSample.WriteTo(Path.Combine(s.Out, "data"));
        resolved.Save(s.Out);
        var encoderOptions = new SpladeEncoderOptions(MaxLength: s.MaxLength);

        using var docEncoder = SpladeEncoder.Load(docDir, encoderOptions);
        var indexDir = Path.Combine(s.Out, "index");
        IndexMetadata meta;
        using (var progress = new ConsoleProgress("indexing sample passages"))
            meta = IndexBuilder.FromCollection(Path.Combine(dataDir, QuickstartSample.CollectionFile), docEncoder, indexDir, progress: progress, buildInfo: new Dictionary<string, string> { ["model"] = s.DocModel });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"indexed {meta.Documents} sample passages ({meta.Postings} postings) with {s.DocModel} into {indexDir}"));

        var conversations = ConversationFile.Read(Path.Combine(dataDir, QuickstartSample.ConversationsFile)).ToList();
        var shown = s.Conversation is null
            ? conversations.TakeWhile(c => c.Turns.Count > 1 || c == conversations[0]).Last()
            : conversations.FirstOrDefault(c => c.Id == s.Conversation)
              ?? throw new UsageException($"no sample conversation '{s.Conversation}'; choose one of {string.Join(", ", conversations.Select(c => c.Id))}");
        var queries = conversations.Select(c => new TextRecord(c.Id, ConversationFlattener.Flatten(c))).ToList();

        using var queryEncoder = SpladeEncoder.Load(queryDir, encoderOptions);
        using var index = SparseIndex.Open(indexDir);
        var results = ConversationalRetrieval.Run(queryEncoder, index, queries, batchSize: 32, topK: 1000, threshold: 0);
        var runDir = Path.Combine(s.Out, "run");
        RetrievalOutput.WriteRun(runDir, results);

        var passages = TextRecordFile.Read(Path.Combine(dataDir, QuickstartSample.CollectionFile)).ToDictionary(r => r.Id, r => r.Text, StringComparer.Ordinal);
        Show(shown, results.Single(r => r.Id == shown.Id), passages, docEncoder, s);

        var measures = MeasureSet.Parse(["mrr_10", "recall_10", "ndcg_cut_3"]);
        var result = RetrievalOutput.Evaluate(runDir, Path.Combine(dataDir, QuickstartSample.QrelsFile), measures, new EvaluationOptions(), "quickstart");
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"evaluation over {result.Queries.Count} sample turns: {RetrievalOutput.Summary(result)}"));
        Console.WriteLine($"run, metrics, latencies and configuration: {runDir}, {s.Out}");
    }

    private static void Show(Conversation conversation, RetrievedQuery retrieved, Dictionary<string, string> passages, SpladeEncoder docEncoder, QuickstartSettings s)
    {
        Console.WriteLine();
        Console.WriteLine($"conversation {conversation.Id}:");
        foreach (var turn in conversation.Turns)
        {
            Console.WriteLine($"  user:   {turn.Question}");
            if (turn.Answer is not null)
                Console.WriteLine($"  system: {turn.Answer}");
        }
        var top = retrieved.Hits.Take(s.Show).ToList();
        var docVectors = docEncoder.Encode([.. top.Select(h => passages[h.DocId])]);
        Console.WriteLine("top passages:");
        for (var i = 0; i < top.Count; i++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {i + 1}. {top[i].DocId} ({top[i].Score:F2}) {passages[top[i].DocId]}"));
            var terms = ConversationalRetrieval.MatchingTerms(retrieved.Vector, docVectors[i]).Take(s.Terms)
                .Select(t => string.Create(CultureInfo.InvariantCulture, $"{docEncoder.Vocabulary[t.Term]} {t.Contribution:F2}"));
            Console.WriteLine($"     matched: {string.Join(", ", terms)}");
        }
    }

    /// <summary>Finds a model, or explains in one line how to supply it when it cannot be had.</summary>
    private static string Locate(string model, string revision, bool query, string role)
    {
        try
        {
            return ModelLocator.Resolve(model, revision, query);
        }
        catch (DiscoException e) when (!Directory.Exists(model))
        {
            throw new DiscoException(
                $"cannot get the {role} encoder '{model}' ({e.Message}). Give local copies of both encoders: "
                + "disco quickstart --doc-model DIR --query-model DIR (HuggingFace folders with config.json, vocab.txt and model.safetensors or pytorch_model.bin, "
                + $"e.g. from 'huggingface-cli download {QuickstartSettings.DefaultDocModel}' and 'huggingface-cli download {QuickstartSettings.DefaultQueryModel}' on a machine with network; "
                + "a HuggingFace cache in HF_HOME is used in place)", e);
        }
    }
}

using System.CommandLine;
using Disco.Core;
using Disco.Core.Conversations;
using Disco.Core.IO;
using Disco.Core.Queries;
using Disco.Core.Texts;
using Disco.Core.Vectors;
using Disco.Modeling;
using Disco.Retrieval;

namespace Disco.Cli.Commands;

/// <summary>
/// `disco encode`: texts (TSV, JSONL) or conversations (JSONL) → SPLADE vectors JSONL (or
/// Anserini's formats), in input order, written atomically; `--shard I/N` encodes one contiguous part.
/// </summary>
public static class EncodeCommand
{
    /// <summary>Texts encoded per chunk: bounds memory on large collections while keeping batches length-sorted.</summary>
    private const int ChunkSize = 8192;

    public static Command Create()
    {
        var model = ModelOptions.Model();
        var input = new Option<FileInfo>("--input", "-i") { Description = "TSV id<TAB>text, JSONL {id, text|contents} or conversations JSONL {id, turns}", Required = true };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Vectors JSONL to write", Required = true };
        var kind = new Option<string?>("--kind") { Description = "document or query (default: query for conversation input, else document); query uses DIR/query when it exists" };
        kind.AcceptOnlyFromAmong("document", "query");
        var agg = ModelOptions.Aggregation();
        var maxLength = ModelOptions.MaxLength();
        var batchSize = new Option<int>("--batch-size") { Description = "Texts per forward pass", DefaultValueFactory = _ => SpladeEncoderOptions.DefaultBatchSize };
        var topK = new Option<int?>("--top-k") { Description = "Keep the K highest weights per vector" };
        var minWeight = new Option<float>("--min-weight") { Description = "Drop weights below this value", DefaultValueFactory = _ => 0f };
        var threads = ModelOptions.Threads();
        var precision = ModelOptions.Precision();
        var history = new Option<string>("--history") { Description = "Conversation flattening: full (q_n [SEP] a_n-1 [SEP] q_n-1 ...), last (q_n only) or questions", DefaultValueFactory = _ => "full" };
        history.AcceptOnlyFromAmong("full", "last", "questions");
        var maxTurns = new Option<int?>("--max-turns") { Description = "Keep only the newest N previous turns of a conversation" };
        var format = new Option<string>("--format") { Description = "vectors (Disco vectors JSONL) or anserini (documents: JsonVectorCollection {id, contents, vector: {token: int}}; queries: TSV id<TAB>tokens repeated by weight)", DefaultValueFactory = _ => "vectors" };
        format.AcceptOnlyFromAmong("vectors", "anserini");
        var scale = new Option<float>("--scale") { Description = "anserini: integer weight = round(weight x scale); terms rounding to 0 are dropped", DefaultValueFactory = _ => Interop.IntegerImpacts.DefaultScale };
        var shard = new Option<string?>("--shard") { Description = "Encode only part I of N (I/N, 1-based): records [floor(n(I-1)/N), floor(nI/N)) of the n input records, so N machines can each take one" };

        var command = new Command("encode", "Encode texts or conversations into SPLADE vectors (vectors JSONL)");
        foreach (var o in new Option[] { model, input, output, kind, agg, maxLength, batchSize, topK, minWeight, threads, precision, history, maxTurns, format, scale, shard })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            var inputPath = parse.GetRequiredValue(input).FullName;
            if (!File.Exists(inputPath))
                throw new DiscoException($"{inputPath}: file not found");
            var conversations = QueryFile.Detect(inputPath) == QueryFileKind.Conversations;
            var isQuery = (parse.GetValue(kind) ?? (conversations ? "query" : "document")) == "query";
            if (conversations && !isQuery)
                throw new UsageException("conversation input is encoded as queries; drop --kind document or use --kind query");
            if (parse.GetValue(maxTurns) is < 0)
                throw new UsageException("--max-turns must not be negative");
            var flattening = new FlatteningOptions(
                parse.GetValue(history) switch { "last" => FlatteningMode.LastQuestion, "questions" => FlatteningMode.QuestionsOnly, _ => FlatteningMode.Full },
                parse.GetValue(maxTurns));
            var options = new SpladeEncoderOptions(
                ModelOptions.ParseAggregation(parse.GetValue(agg)!), parse.GetValue(maxLength), parse.GetValue(batchSize),
                parse.GetValue(topK), parse.GetValue(minWeight), parse.GetValue(threads), ModelOptions.ParsePrecision(parse.GetValue(precision)!));
            var part = parse.GetValue(shard) is string spec ? CollectionShard.Parse(spec) : (CollectionShard?)null;
            var anserini = parse.GetValue(format) == "anserini";
            if (anserini)
                Interop.IntegerImpacts.CheckScale(parse.GetValue(scale));
            using var encoder = ModelOptions.Loader().Load(parse.GetRequiredValue(model), isQuery ? EncoderRole.Query : EncoderRole.Document, options);
            var records = conversations
                ? ConversationFile.Read(inputPath).Select(c => new TextRecord(c.Id, ConversationFlattener.Flatten(c, flattening)))
                : TextRecordFile.Read(inputPath);
            var total = CountRecords(inputPath);
            if (part is CollectionShard p)
            {
                records = p.Select(records, total);
                var (start, end) = p.Range(total);
                total = end - start;
                Console.Error.WriteLine($"shard {p}: records {start + 1} to {end} of {inputPath}");
            }
            using var progress = new ConsoleProgress("encode", total);
            var outputPath = parse.GetRequiredValue(output).FullName;
            var encoded = Encode(encoder, records, progress);
            if (!anserini)
                VectorFile.Write(outputPath, encoded.Select(e => e.Vector));
            else if (isQuery)
                Interop.AnseriniVectors.WriteQueries(outputPath, encoded.Select(e => e.Vector), parse.GetValue(scale));
            else
                Interop.AnseriniVectors.WriteDocuments(outputPath, encoded.Select(e => (e.Vector, e.Text)), parse.GetValue(scale));
            return 0;
        });
        return command;
    }

    /// <summary>Encodes lazily, chunk by chunk, so the writer streams vectors out in input order.</summary>
    private static IEnumerable<(TermVector Vector, string Text)> Encode(ISparseEncoder encoder, IEnumerable<TextRecord> records, IProgress<long> progress)
    {
        foreach (var chunk in records.Chunk(ChunkSize))
        {
            var vectors = encoder.Encode([.. chunk.Select(r => r.Text)], progress);
            for (var i = 0; i < chunk.Length; i++)
                yield return (TermVector.FromVector(chunk[i].Id, vectors[i], encoder.Vocabulary), chunk[i].Text);
        }
    }

    private static long CountRecords(string path) => File.ReadLines(path).LongCount(l => !string.IsNullOrWhiteSpace(l));
}

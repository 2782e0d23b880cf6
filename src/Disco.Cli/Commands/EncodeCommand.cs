using System.CommandLine;
using Disco.Cli.Options;
using Disco.Core.IO;
using Disco.Core.Queries;
using Disco.Core.Texts;
using Disco.Core.Vectors;
using Disco.Retrieval;

namespace Disco.Cli.Commands;

/// <summary>
/// `disco encode`: texts (TSV, JSONL) or conversations (JSONL) → SPLADE vectors JSONL, in input
/// order, written atomically.
/// </summary>
public static class EncodeCommand
{
    /// <summary>Texts encoded per chunk: bounds memory on large collections while keeping batches length-sorted.</summary>
    private const int ChunkSize = 8192;

    public static Command Create()
    {
        var encoder = new EncoderOptionGroup("HuggingFace model directory (config.json, model.safetensors or pytorch_model.bin, vocab.txt) or model id (org/name, resolved through the HuggingFace cache; docs/models.md)", modelRequired: true, "-m");
        var input = new Option<FileInfo>("--input", "-i") { Description = "TSV id<TAB>text, JSONL {id, text|contents} or conversations JSONL {id, turns}", Required = true };
        var output = new AliasedOption<FileInfo?>(new Option<FileInfo?>("--out", "-o") { Description = "Vectors JSONL to write" }, "--output");
        var kind = new Option<string?>("--kind") { Description = "document or query (default: query for conversation input, else document); query uses DIR/query when it exists" };
        kind.AcceptOnlyFromAmong("document", "query");
        var maxTerms = new AliasedOption<int?>(new Option<int?>("--max-terms") { Description = "Keep the N highest weights per vector" }, "--top-k");
        var minWeight = new Option<float>("--min-weight") { Description = "Drop weights below this value" };
        var threads = ThreadsOption.Create();
        var flattening = new FlatteningOptionGroup();

        var command = new Command("encode", "Encode texts or conversations into SPLADE vectors (vectors JSONL)") { input, kind, minWeight, threads };
        encoder.AddTo(command);
        output.AddTo(command);
        maxTerms.AddTo(command);
        flattening.AddTo(command);
        command.SetAction(parse =>
        {
            var outPath = output.Get(parse)?.FullName ?? throw new UsageException("--out FILE is required");
            var inputPath = parse.GetRequiredValue(input).FullName;
            var conversations = QueryFile.Detect(inputPath) == QueryFileKind.Conversations;
            var isQuery = (parse.GetValue(kind) ?? (conversations ? "query" : "document")) == "query";
            if (conversations && !isQuery)
                throw new UsageException("conversation input is encoded as queries; drop --kind document or use --kind query");
            var flatten = flattening.Build(parse);
            ThreadsOption.Apply(parse, threads);
            var loader = encoder.Loader(parse);
            using var sparse = loader.Load(parse.GetValue(encoder.Model!)!, isQuery ? EncoderRole.Query : EncoderRole.Document, encoder.Build(parse, maxTerms.Get(parse), parse.GetValue(minWeight)));
            var records = QueryFile.ReadTexts(inputPath, flatten);
            using var progress = new ConsoleProgress("encode", CountRecords(inputPath));
            VectorFile.Write(outPath, Encode(sparse, records, progress));
            return 0;
        });
        return command;
    }

    /// <summary>Encodes lazily, chunk by chunk, so the writer streams vectors out in input order.</summary>
    private static IEnumerable<TermVector> Encode(ISparseEncoder encoder, IEnumerable<TextRecord> records, IProgress<long> progress)
    {
        foreach (var chunk in records.Chunk(ChunkSize))
        {
            var vectors = encoder.Encode([.. chunk.Select(r => r.Text)], progress);
            for (var i = 0; i < chunk.Length; i++)
                yield return TermVector.FromVector(chunk[i].Id, vectors[i], encoder.Vocabulary);
        }
    }

    private static long CountRecords(string path) => File.ReadLines(path).LongCount(l => !string.IsNullOrWhiteSpace(l));
}

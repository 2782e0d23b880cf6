using System.CommandLine;
using Disco.Cli.Options;
using Disco.Core.Queries;
using Disco.Core.Texts;
using Disco.Core.Vectors;
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
        var encoder = new EncoderOptionGroup("HuggingFace model directory (config.json, model.safetensors or pytorch_model.bin, vocab.txt) or model id (org/name, resolved through the HuggingFace cache; docs/models.md)", modelRequired: true, "-m");
        var input = new Option<FileInfo>("--input", "-i") { Description = "TSV id<TAB>text, JSONL {id, text|contents} or conversations JSONL {id, turns}", Required = true };
        var output = new AliasedOption<FileInfo?>(new Option<FileInfo?>("--out", "-o") { Description = "Vectors JSONL to write" }, "--output");
        var kind = new Option<string?>("--kind") { Description = "document or query (default: query for conversation input, else document); query uses DIR/query when it exists" };
        kind.AcceptOnlyFromAmong("document", "query");
        var maxTerms = new AliasedOption<int?>(new Option<int?>("--max-terms") { Description = "Keep the N highest weights per vector" }, "--top-k");
        var minWeight = new Option<float>("--min-weight") { Description = "Drop weights below this value" };
        var threads = ThreadsOption.Create();
        encoder.Threads = threads;
        var flattening = new FlatteningOptionGroup();
        var format = new Option<string>("--format") { Description = "vectors (Disco vectors JSONL) or anserini (documents: JsonVectorCollection {id, contents, vector: {token: int}}; queries: TSV id<TAB>tokens repeated by weight)", DefaultValueFactory = _ => "vectors" };
        format.AcceptOnlyFromAmong("vectors", "anserini");
        var scale = new Option<float>("--scale") { Description = "anserini: integer weight = round(weight x scale); terms rounding to 0 are dropped", DefaultValueFactory = _ => Interop.IntegerImpacts.DefaultScale };
        var shard = new Option<string?>("--shard") { Description = "Encode only part I of N (I/N, 1-based): records [floor(n(I-1)/N), floor(nI/N)) of the n input records, so N machines can each take one" };

        var command = new Command("encode", "Encode texts or conversations into SPLADE vectors (vectors JSONL)") { input, kind, minWeight, threads, format, scale, shard };
        encoder.AddTo(command);
        output.AddTo(command);
        maxTerms.AddTo(command);
        flattening.AddTo(command);
        command.SetAction(parse =>
        {
            var outPath = OutputPath.File(output.Get(parse)?.FullName ?? throw new UsageException("--out FILE is required"), "--out");
            var inputPath = parse.GetRequiredValue(input).FullName;
            if (!File.Exists(inputPath))
                throw new Core.DiscoException($"{inputPath}: file not found");
            // An empty input is an error, and the vectors written before stay (issue 15).
            var total = CountRecords(inputPath);
            if (total == 0)
                throw new Core.DiscoException($"{inputPath}: holds no texts; {outPath} is left as it was");
            var conversations = QueryFile.Detect(inputPath) == QueryFileKind.Conversations;
            var isQuery = (parse.GetValue(kind) ?? (conversations ? "query" : "document")) == "query";
            if (conversations && !isQuery)
                throw new UsageException("conversation input is encoded as queries; drop --kind document or use --kind query");
            var flatten = flattening.Build(parse);
            ThreadsOption.Apply(parse, threads);
            var part = parse.GetValue(shard) is string spec ? CollectionShard.Parse(spec) : (CollectionShard?)null;
            var anserini = parse.GetValue(format) == "anserini";
            if (anserini)
                Interop.IntegerImpacts.CheckScale(parse.GetValue(scale));
            var loader = encoder.Loader(parse);
            using var sparse = loader.Load(parse.GetValue(encoder.Model!)!, isQuery ? EncoderRole.Query : EncoderRole.Document, encoder.Build(parse, maxTerms.Get(parse), parse.GetValue(minWeight)));
            // Query ids are checked for repeats as they are read; a collection's ids where it is
            // indexed (a set of tens of millions of ids here would cost gigabytes).
            var records = isQuery ? QueryFile.ReadTexts(inputPath, flatten) : TextRecordFile.Read(inputPath);
            if (part is CollectionShard p)
            {
                records = p.Select(records, total);
                var (start, end) = p.Range(total);
                total = end - start;
                Console.Error.WriteLine($"shard {p}: records {start + 1} to {end} of {inputPath}");
            }
            using var progress = new ConsoleProgress("encode", total);
            var encoded = Encode(sparse, records, progress);
            if (!anserini)
                VectorFile.Write(outPath, encoded.Select(e => e.Vector));
            else if (isQuery)
                Interop.AnseriniVectors.WriteQueries(outPath, encoded.Select(e => e.Vector), parse.GetValue(scale));
            else
                Interop.AnseriniVectors.WriteDocuments(outPath, encoded.Select(e => (e.Vector, e.Text)), parse.GetValue(scale));
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

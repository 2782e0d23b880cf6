using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Disco.Core;
using Disco.Core.IO;
using Disco.Index;
using Disco.Interop;
using Disco.Interop.Ciff;
using Disco.Text;

namespace Disco.Cli.Commands;

/// <summary>
/// `disco index import`, `disco index export` and `disco index merge`: exchange with naver/splade
/// (DiSCo's prebuilt indexes), CIFF (PISA, Anserini, Terrier, JASS) and merging of shard indexes;
/// thin adapters over Disco.Interop and Disco.Index.IndexMerge.
/// </summary>
public static class IndexInteropCommands
{
    public static Command Import()
    {
        var from = new Option<string>("--from") { Description = "Source format: splade (naver/splade's index folder: array_index.h5py, doc_ids.pkl, index_dist.json) or ciff (a CIFF file)", Required = true };
        from.AcceptOnlyFromAmong("splade", "ciff");
        var source = new Argument<string>("SOURCE") { Description = "The SPLADE index folder or the CIFF file" };
        var output = new Option<string>("--out") { Description = "Index directory to create (replaced only once the new index is complete)", Required = true };
        var vocab = new Option<string?>("--vocab") { Description = "Vocabulary (vocab.txt, or a tokenizer folder) naming the term ids: required for splade unless --model; for ciff, maps terms written as token ids" };
        var model = new Option<string?>("--model") { Description = "Document encoder (folder or HuggingFace id) whose vocabulary names the term ids" };
        var impacts = new Option<string>("--impacts") { Description = "ciff only: float32 (default), or uint16/uint8 codes holding the integer impacts exactly (refused if one does not fit)", DefaultValueFactory = _ => "float32" };
        impacts.AcceptOnlyFromAmong("float32", "uint16", "uint8");
        var command = new Command("import", "Import an index made elsewhere: naver/splade's (DiSCo's prebuilt TopiOCQA index) or any CIFF file")
        {
            source, from, output, vocab, model, impacts,
        };
        command.SetAction(parse =>
        {
            var src = parse.GetValue(source)!;
            var outDir = parse.GetValue(output)!;
            var vocabulary = parse.GetValue(vocab) is string v ? VocabularyFile.Read(v)
                : parse.GetValue(model) is string m ? WordPieceTokenizer.FromDirectory(Options.CliModels.Loader().Locate(m, Disco.Retrieval.EncoderRole.Document)).Vocabulary
                : null;
            var clock = Stopwatch.StartNew();
            IndexMetadata meta;
            if (parse.GetValue(from) == "splade")
            {
                if (vocabulary is null)
                    throw new UsageException("--from splade needs --vocab FILE or --model M: the SPLADE index stores vocabulary ids, and the vocabulary names them");
                using var import = SpladeIndexImport.Open(src);
                Console.Error.WriteLine($"{src}: {import.ListCount} posting lists, {import.PostingCount} postings (dim {import.Dim?.ToString(CultureInfo.InvariantCulture) ?? "absent"})");
                using var progress = new ConsoleProgress("importing postings", import.PostingCount);
                meta = import.WriteTo(outDir, vocabulary, progress);
            }
            else
            {
                if (!File.Exists(src))
                    throw new DiscoException($"{src}: file not found");
                using var progress = new ConsoleProgress("importing bytes", new FileInfo(src).Length);
                meta = CiffImport.Import(src, outDir, new CiffImportOptions(vocabulary, IndexFormatNames.Parse(parse.GetValue(impacts)!)), progress);
            }
            Console.Error.WriteLine($"imported {meta.Documents} documents, {meta.Terms} terms, {meta.Postings} postings ({meta.Impacts}) into {outDir} in {clock.Elapsed.TotalSeconds:F1}s");
            return 0;
        });
        return command;
    }

    public static Command Export()
    {
        var to = new Option<string>("--to") { Description = "Target format: ciff", Required = true };
        to.AcceptOnlyFromAmong("ciff");
        var index = new Option<string>("--index") { Description = "Index directory", Required = true };
        var output = new Option<string>("--out") { Description = "File to write (written under a temporary name, then renamed)", Required = true };
        var scale = new Option<float>("--scale") { Description = "Integer impacts are round(weight x scale); postings that round to 0 are dropped", DefaultValueFactory = _ => IntegerImpacts.DefaultScale };
        var command = new Command("export", "Export an index as CIFF (integer impacts) for PISA, Anserini, Terrier or JASS") { to, index, output, scale };
        command.SetAction(parse =>
        {
            var clock = Stopwatch.StartNew();
            using var source = SparseIndex.Open(parse.GetValue(index)!);
            using var progress = new ConsoleProgress("exporting postings", source.PostingCount);
            var header = CiffExport.Export(source, parse.GetValue(output)!, parse.GetValue(scale), progress);
            Console.Error.WriteLine($"wrote {header.NumPostingsLists} postings lists and {header.NumDocRecords} documents to {parse.GetValue(output)} in {clock.Elapsed.TotalSeconds:F1}s");
            return 0;
        });
        return command;
    }

    public static Command Merge()
    {
        var inputs = new Argument<string[]>("IDX") { Description = "Indexes to merge, in collection order (for example one per shard)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Index directory to create", Required = true };
        var command = new Command("merge", "Merge indexes built separately into one (documents in the order given; colliding document ids are refused)") { inputs, output };
        command.SetAction(parse =>
        {
            var clock = Stopwatch.StartNew();
            var dirs = parse.GetValue(inputs)!;
            long total = 0;
            foreach (var dir in dirs)
            {
                using var index = SparseIndex.Open(dir);
                total += index.PostingCount;
            }
            using var progress = new ConsoleProgress("merging postings", total);
            var meta = IndexMerge.Merge(dirs, parse.GetValue(output)!, progress);
            Console.Error.WriteLine($"merged {dirs.Length} indexes: {meta.Documents} documents, {meta.Terms} terms, {meta.Postings} postings ({meta.Impacts}) into {parse.GetValue(output)} in {clock.Elapsed.TotalSeconds:F1}s");
            return 0;
        });
        return command;
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Disco.Experiments;

/// <summary>The results of a BEIR evaluation: each dataset and the mean over datasets (BEIR's summary).</summary>
public sealed class BeirReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public BeirReport(IReadOnlyList<BeirDatasetResult> datasets, string documentModel, string queryModel)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        Datasets = datasets;
        DocumentModel = documentModel;
        QueryModel = queryModel;
    }

    public IReadOnlyList<BeirDatasetResult> Datasets { get; }

    public string DocumentModel { get; }

    public string QueryModel { get; }

    public double MeanNdcgAt10 => Datasets.Count == 0 ? 0 : Datasets.Average(d => d.NdcgAt10);

    public double MeanRecallAt100 => Datasets.Count == 0 ? 0 : Datasets.Average(d => d.RecallAt100);

    /// <summary>A fixed-width table: one row per dataset, then the mean.</summary>
    public string ToTable()
    {
        var width = Math.Max(7, Datasets.Select(d => d.Dataset.Length).DefaultIfEmpty(0).Max());
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"dataset".PadRight(width)}  {"docs",10}  {"queries",7}  {"nDCG@10",7}  {"R@100",7}");
        foreach (var d in Datasets)
            text.AppendLine(CultureInfo.InvariantCulture, $"{d.Dataset.PadRight(width)}  {d.Documents,10}  {d.Queries,7}  {d.NdcgAt10,7:F4}  {d.RecallAt100,7:F4}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{"mean".PadRight(width)}  {"",10}  {"",7}  {MeanNdcgAt10,7:F4}  {MeanRecallAt100,7:F4}");
        return text.ToString();
    }

    /// <summary><c>{"document_model", "query_model", "datasets": {name: {...}}, "mean": {"ndcg_cut_10", "recall_100"}}</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(new
    {
        document_model = DocumentModel,
        query_model = QueryModel,
        datasets = Datasets.ToDictionary(d => d.Dataset, d => new
        {
            ndcg_cut_10 = d.NdcgAt10,
            recall_100 = d.RecallAt100,
            queries = d.Queries,
            documents = d.Documents,
            index = d.IndexDirectory,
        }),
        mean = new { ndcg_cut_10 = MeanNdcgAt10, recall_100 = MeanRecallAt100, datasets = Datasets.Count },
    }, Json);
}

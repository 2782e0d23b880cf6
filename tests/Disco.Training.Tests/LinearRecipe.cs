using System.Globalization;
using static TorchSharp.torch;

namespace Disco.Training.Tests;

/// <summary>
/// A recipe without BERT, so the loop's own behaviour is tested in milliseconds: a linear model
/// y = w·x + b regressed onto fixed targets with dropout on the inputs (so the loop's seeding
/// matters). Items are rows of a fixed design; validation scores each document id "d{i}" by the
/// model's output for row i, with d0 relevant.
/// </summary>
internal sealed class LinearRecipe : ITrainingRecipe
{
    public const int Features = 4;

    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly float[] _inputs;
    private readonly float[] _targets;
    private readonly double _dropout;

    public LinearRecipe(int items = 12, string name = "linear", double dropout = 0.25)
    {
        Name = name;
        _dropout = dropout;
        ItemCount = items;
        var random = new TrainingRandom(7);
        _inputs = [.. Enumerable.Range(0, items * Features).Select(_ => (float)random.Next(1000) / 500f - 1f)];
        _targets = [.. Enumerable.Range(0, items).Select(i => _inputs[i * Features] * 2f - _inputs[(i * Features) + 1] + 0.5f)];
        _model = nn.Linear(Features, 1);
        using (no_grad())
        {
            foreach (var p in _model.parameters())
                p.fill_(0.1f);
        }
        _model.train();
    }

    public string Name { get; }

    public object Options => new { Features };

    public int ItemCount { get; }

    public nn.Module Trainable => _model;

    public IReadOnlyDictionary<string, double> Counters => new Dictionary<string, double> { ["losses_computed"] = LossCalls };

    public long LossCalls { get; private set; }

    public RecipeLoss Loss(TrainingBatch batch)
    {
        LossCalls++;
        var rows = batch.Items.ToArray();
        var x = tensor(rows.SelectMany(i => _inputs.AsSpan(i * Features, Features).ToArray()).ToArray(), [rows.Length, Features]);
        var y = tensor(rows.Select(i => _targets[i]).ToArray(), [rows.Length, 1]);
        var prediction = _model.call(Modeling.DropoutRandom.Apply(x, _dropout, _model.training));
        var loss = nn.functional.mse_loss(prediction, y);
        return new RecipeLoss(loss, new Dictionary<string, double> { ["first_item"] = rows[0] });
    }

    public void SaveModels(string modelDirectory)
    {
        Directory.CreateDirectory(modelDirectory);
        File.WriteAllText(Path.Combine(modelDirectory, "weights.txt"),
            string.Join(' ', Weights().Select(w => w.ToString("R", CultureInfo.InvariantCulture))));
    }

    public void RestoreModels(string modelDirectory)
    {
        var saved = File.ReadAllText(Path.Combine(modelDirectory, "weights.txt")).Split(' ').Select(w => float.Parse(w, CultureInfo.InvariantCulture)).ToArray();
        using var noGrad = no_grad();
        var offset = 0;
        foreach (var p in _model.parameters())
        {
            var count = (int)p.numel();
            p.copy_(tensor(saved.AsSpan(offset, count).ToArray()).view(p.shape));
            offset += count;
        }
    }

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> ScoreCandidates(IReadOnlyList<ValidationQuery> queries)
    {
        using var noGrad = no_grad();
        var wasTraining = _model.training;
        _model.eval();
        var scores = queries.ToDictionary(
            q => q.Id,
            q => (IReadOnlyDictionary<string, double>)q.DocumentIds.ToDictionary(d => d, d =>
            {
                var row = int.Parse(d[1..], CultureInfo.InvariantCulture);
                return (double)_model.call(tensor(_inputs.AsSpan(row * Features, Features).ToArray(), [1, Features])).item<float>();
            }));
        _model.train(wasTraining);
        return scores;
    }

    /// <summary>All parameters, flattened in order.</summary>
    public float[] Weights() => [.. _model.parameters().SelectMany(p => p.detach().data<float>().ToArray())];

    public void Dispose() => _model.Dispose();
}

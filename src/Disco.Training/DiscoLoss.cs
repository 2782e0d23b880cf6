using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Disco.Training;

/// <summary>
/// DiSCo's loss (spec §2.4) as a pure function of the representations and teacher scores:
/// w_kl·KL(softmax(t) ‖ softmax(s)) over each query's own candidates + w_ce·CE with in-batch
/// negatives + 1/(ΣQ)² + 1/(ΣD)² + λ_d(t)·FLOPS(D) + λ_q(t)·L1(Q).
/// </summary>
public static class DiscoLoss
{
    /// <param name="queries">Q [B, V]</param>
    /// <param name="documents">D [B, G, V]; column 0 of each group is the positive</param>
    /// <param name="teacher">teacher scores [B, G]</param>
    /// <param name="options">weights and regularisers</param>
    /// <param name="step">the loss call counter for the λ warmup (1 on the first step)</param>
    public static DiscoLossTerms Compute(Tensor queries, Tensor documents, Tensor teacher, DiscoLossOptions options, long step)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(options);
        var batch = documents.shape[0];
        var group = documents.shape[1];
        var vocab = documents.shape[2];

        var student = bmm(queries.unsqueeze(1), documents.transpose(1, 2)).squeeze(1); // [B, G]

        var targets = options.RescaleTeacher ? MinMax(teacher) : teacher;
        var logTeacher = log_softmax(targets, 1);
        var kl = (logTeacher.exp() * (logTeacher - log_softmax(student, 1))).sum(1).mean();

        // In-batch CE: each query's positive against every negative of the batch; other queries'
        // positives are not negatives (as in the reference).
        var negatives = documents.narrow(1, 1, group - 1).reshape(batch * (group - 1), vocab);
        var logits = cat([student.narrow(1, 0, 1), queries.matmul(negatives.t())], 1);
        var ce = cross_entropy(logits, zeros(batch, dtype: ScalarType.Int64, device: queries.device));

        var flatDocuments = documents.reshape(batch * group, vocab);
        var antiZero = queries.sum().pow(2).reciprocal() + flatDocuments.sum().pow(2).reciprocal();

        var total = options.KlWeight * kl + options.CeWeight * ce + antiZero;
        double flopsValue = 0, l1Value = 0;
        if (options.LambdaDocument > 0)
        {
            var flops = SparseRegularizer.Flops(flatDocuments);
            flopsValue = flops.item<float>();
            total += SparseRegularizer.WarmedUpLambda(options.LambdaDocument, options.WarmupDocument, step) * flops;
        }
        if (options.LambdaQuery > 0)
        {
            var l1 = SparseRegularizer.L1(queries);
            l1Value = l1.item<float>();
            total += SparseRegularizer.WarmedUpLambda(options.LambdaQuery, options.WarmupQuery, step) * l1;
        }

        return new DiscoLossTerms(
            total,
            kl.item<float>(),
            ce.item<float>(),
            antiZero.item<float>(),
            flopsValue,
            l1Value,
            SparseRegularizer.L0(queries),
            SparseRegularizer.L0(flatDocuments));
    }

    /// <summary>Rescales each row to [0, 1]; a constant row becomes all zeros.</summary>
    public static Tensor MinMax(Tensor scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var min = scores.amin([1], keepdim: true);
        var range = scores.amax([1], keepdim: true) - min;
        return (scores - min) / range.clamp_min(1e-12);
    }
}

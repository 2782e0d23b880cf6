using static TorchSharp.torch;

namespace Disco.Training.Tests;

public sealed class DiscoLossTests
{
    private static readonly double[,] Q = { { 0.5, 0, 1.2, 0.3, 0 }, { 0, 2.0, 0.1, 0, 0.7 } };

    // D[b, g, v]; group column 0 is the positive.
    private static readonly double[,,] D =
    {
        { { 1.0, 0, 0.5, 0, 0.2 }, { 0, 0.3, 0.9, 0.4, 0 }, { 0.6, 0.6, 0, 0, 0.1 } },
        { { 0, 1.5, 0, 0.2, 0.3 }, { 0.2, 0, 0, 1.1, 0.5 }, { 0, 0.4, 0.3, 0, 0.9 } },
    };

    private static readonly double[,] T = { { 9.0, 4.0, 2.5 }, { 12.0, 11.0, 3.0 } };

    [Fact]
    public void MatchesAHandComputedLoss()
    {
        var expected = Reference(lambdaD: 0, lambdaQ: 0, step: 1);
        using var scope = NewDisposeScope();
        var terms = DiscoLoss.Compute(Tensor(Q), Tensor(D), Tensor(T), new DiscoLossOptions(), step: 1);
        Assert.Equal(expected.Kl, terms.Kl, 5);
        Assert.Equal(expected.Ce, terms.Ce, 5);
        Assert.Equal(expected.AntiZero, terms.AntiZero, 7);
        Assert.Equal(expected.Total, terms.Total.item<float>(), 5);
        Assert.Equal(3.0, terms.L0Query, 5);
    }

    [Fact]
    public void RegularisersFollowTheQuadraticWarmup()
    {
        var options = new DiscoLossOptions(LambdaDocument: 0.3, WarmupDocument: 3, LambdaQuery: 0.2, WarmupQuery: 1);
        var expected = Reference(lambdaD: 0.3 * (2.0 / 4) * (2.0 / 4), lambdaQ: 0.2, step: 2);
        using var scope = NewDisposeScope();
        var terms = DiscoLoss.Compute(Tensor(Q), Tensor(D), Tensor(T), options, step: 2);
        Assert.Equal(expected.Total, terms.Total.item<float>(), 5);
        Assert.Equal(expected.Flops, terms.Flops, 5);
        Assert.Equal(expected.L1, terms.L1, 5);
    }

    [Fact]
    public void GradientsReachTheQueriesOnly()
    {
        using var scope = NewDisposeScope();
        var q = Tensor(Q).requires_grad_();
        var terms = DiscoLoss.Compute(q, Tensor(D), Tensor(T), new DiscoLossOptions(), step: 1);
        terms.Total.backward();
        Assert.NotNull(q.grad);
        Assert.True(q.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void MinMaxRescalesEachRowToTheUnitInterval()
    {
        using var scope = NewDisposeScope();
        var values = DiscoLoss.MinMax(Tensor(T)).data<float>().ToArray();
        float[] expected = [1f, 1.5f / 6.5f, 0f, 1f, 8f / 9f, 0f];
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], values[i], 6);
    }

    private static Tensor Tensor(double[,] values)
    {
        var rows = values.GetLength(0);
        var cols = values.GetLength(1);
        var flat = new float[rows * cols];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < cols; j++)
                flat[(i * cols) + j] = (float)values[i, j];
        return tensor(flat, [rows, cols]);
    }

    private static Tensor Tensor(double[,,] values)
    {
        var (a, b, c) = (values.GetLength(0), values.GetLength(1), values.GetLength(2));
        var flat = new float[a * b * c];
        for (var i = 0; i < a; i++)
            for (var j = 0; j < b; j++)
                for (var k = 0; k < c; k++)
                    flat[(((i * b) + j) * c) + k] = (float)values[i, j, k];
        return tensor(flat, [a, b, c]);
    }

    private static (double Total, double Kl, double Ce, double AntiZero, double Flops, double L1) Reference(double lambdaD, double lambdaQ, int step)
    {
        _ = step;
        int batch = 2, group = 3, vocab = 5;
        double Dot(int b, int g, int qb)
        {
            var s = 0.0;
            for (var v = 0; v < vocab; v++)
                s += Q[qb, v] * D[b, g, v];
            return s;
        }

        double kl = 0, ce = 0;
        for (var b = 0; b < batch; b++)
        {
            var s = Enumerable.Range(0, group).Select(g => Dot(b, g, b)).ToArray();
            var t = Enumerable.Range(0, group).Select(g => T[b, g]).ToArray();
            var ls = LogSoftmax(s);
            var lt = LogSoftmax(t);
            kl += Enumerable.Range(0, group).Sum(g => Math.Exp(lt[g]) * (lt[g] - ls[g]));
            var logits = new List<double> { s[0] };
            for (var ob = 0; ob < batch; ob++)
                for (var g = 1; g < group; g++)
                    logits.Add(Dot(ob, g, b));
            ce -= LogSoftmax([.. logits])[0];
        }
        kl /= batch;
        ce /= batch;
        double sumQ = 0, sumD = 0;
        foreach (var x in Q)
            sumQ += x;
        foreach (var x in D)
            sumD += x;
        var antiZero = (1 / (sumQ * sumQ)) + (1 / (sumD * sumD));
        double flops = 0;
        for (var v = 0; v < vocab; v++)
        {
            var mean = 0.0;
            for (var b = 0; b < batch; b++)
                for (var g = 0; g < group; g++)
                    mean += Math.Abs(D[b, g, v]);
            mean /= batch * group;
            flops += mean * mean;
        }
        double l1 = 0;
        foreach (var x in Q)
            l1 += Math.Abs(x);
        l1 /= batch;
        var total = (0.99 * kl) + (0.01 * ce) + antiZero + (lambdaD * flops) + (lambdaQ * l1);
        return (total, kl, ce, antiZero, flops, l1);
    }

    private static double[] LogSoftmax(double[] x)
    {
        var max = x.Max();
        var log = Math.Log(x.Sum(v => Math.Exp(v - max))) + max;
        return x.Select(v => v - log).ToArray();
    }
}

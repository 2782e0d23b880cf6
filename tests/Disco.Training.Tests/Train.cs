namespace Disco.Training.Tests;

/// <summary>Runs a recipe through the shared loop, as a .NET service would.</summary>
internal static class Train
{
    /// <param name="options">the run</param>
    /// <param name="interrupt">when given, cancels the run after that many steps (see <see cref="TrainingLoop.Run"/>)</param>
    public static TrainingSummary Disco(DiscoTrainingOptions options, int? interrupt = null)
    {
        using var recipe = new DiscoRecipe(options);
        return Run(recipe, options.Loop, interrupt);
    }

    public static TrainingSummary Splade(SpladeTrainingOptions options, int? interrupt = null)
    {
        using var recipe = new SpladeRecipe(options);
        return Run(recipe, options.Loop, interrupt);
    }

    public static TrainingSummary Run(ITrainingRecipe recipe, TrainingLoopOptions options, int? interrupt = null)
    {
        using var loop = new TrainingLoop(recipe, options);
        if (interrupt is not { } steps)
            return loop.Run(null, TestContext.Current.CancellationToken);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        return loop.Run(new StopAfter(steps, cancel), cancel.Token);
    }

    /// <summary>Cancels after <paramref name="steps"/> reports, on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class StopAfter(int steps, CancellationTokenSource cancellation) : IProgress<long>
    {
        private int _seen;

        public void Report(long value)
        {
            if (++_seen == steps)
                cancellation.Cancel();
        }
    }
}

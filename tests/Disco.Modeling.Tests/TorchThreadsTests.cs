using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Modeling.Tests;

/// <summary>libtorch keeps its thread count per OS thread; the encoders make every thread use the configured one.</summary>
[Collection(SerialTorchTests.Name)]
public sealed class TorchThreadsTests
{
    [Fact]
    public void A_thread_that_ran_libtorch_before_the_count_changed_encodes_as_the_thread_that_changed_it()
    {
        var previous = TorchThreads.Current;
        var texts = GoldenRecords.Documents.Select(d => d.Text).ToList();
        using var encoder = SpladeEncoder.Load(Fixtures.TinySplade, new SpladeEncoderOptions(BatchSize: 8));
        try
        {
            TorchThreads.Set(1);
            // A long-lived thread (a server's pool thread) encodes once at one thread, then again
            // after the host configured two: it must encode as a thread that never saw the old count.
            using var ranOnce = new ManualResetEventSlim();
            using var changed = new ManualResetEventSlim();
            IReadOnlyList<SparseVector>? late = null;
            var lateThreads = 0;
            Exception? failure = null;
            var worker = new Thread(() =>
            {
                try
                {
                    encoder.Encode(texts);
                    ranOnce.Set();
                    changed.Wait();
                    late = encoder.Encode(texts);
                    lateThreads = TorchThreads.Current;
                }
                catch (Exception e)
                {
                    failure = e;
                    ranOnce.Set();
                }
            });
            worker.Start();
            ranOnce.Wait(TestContext.Current.CancellationToken);
            TorchThreads.Set(2);
            var expected = encoder.Encode(texts);
            changed.Set();
            worker.Join();

            Assert.Null(failure);
            Assert.Equal(2, lateThreads);
            for (var i = 0; i < texts.Count; i++)
            {
                Assert.Equal(expected[i].Indices, late![i].Indices);
                Assert.Equal(expected[i].Values, late[i].Values);
            }
        }
        finally
        {
            TorchThreads.Set(previous);
        }
    }
}

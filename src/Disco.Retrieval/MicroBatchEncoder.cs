using System.Diagnostics;
using System.Threading.Channels;
using Disco.Core.Vectors;

namespace Disco.Retrieval;

/// <summary>
/// Gathers texts from concurrent callers into micro-batches for one encoder (see
/// <see cref="MicroBatchOptions"/>), so throughput grows with load. One loop runs the encoder, one
/// batch at a time; callers await their text's vector. A caller that gives up before its batch
/// starts is dropped from it; once a batch is in the encoder it runs to the end (a forward pass
/// cannot be interrupted). <see cref="ConversationalRetriever.EncodeAsync"/> uses one for queries;
/// a service that also encodes documents wraps its document encoder in another.
/// </summary>
/// <example><code>
/// var documents = new MicroBatchEncoder(documentEncoder);
/// var encoded = await documents.EncodeAsync("The Eiffel tower is in Paris.", cancellationToken);
/// </code></example>
public sealed class MicroBatchEncoder
{
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyList<string>, IReadOnlyList<SparseVector>> _encode;
    private readonly MicroBatchOptions _options;
    private long _batches;
    private long _texts;

    /// <param name="encoder">Used by this batcher only from now on (its calls are not serialised against other callers).</param>
    public MicroBatchEncoder(ISparseEncoder encoder, MicroBatchOptions? options = null)
        : this(texts => encoder.Encode(texts), options ?? new MicroBatchOptions())
    {
        ArgumentNullException.ThrowIfNull(encoder);
    }

    internal MicroBatchEncoder(Func<IReadOnlyList<string>, IReadOnlyList<SparseVector>> encode, MicroBatchOptions options)
    {
        options.Validate();
        _encode = encode;
        _options = options;
        _ = Task.Run(RunAsync);
    }

    /// <summary>Encoder calls made so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Texts encoded so far.</summary>
    public long Texts => Interlocked.Read(ref _texts);

    /// <summary>The text's vector and its share of its batch's time.</summary>
    public Task<EncodedText> EncodeAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pending = new Pending(text, cancellationToken);
        if (!_pending.Writer.TryWrite(pending))
            throw new InvalidOperationException("the encode queue is closed");
        return cancellationToken.CanBeCanceled ? pending.Done.Task.WaitAsync(cancellationToken) : pending.Done.Task;
    }

    private async Task RunAsync()
    {
        var reader = _pending.Reader;
        var batch = new List<Pending>(_options.MaxBatchSize);
        var window = TimeSpan.FromMilliseconds(_options.WindowMilliseconds);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            Take(reader, batch);
            if (batch.Count < _options.MaxBatchSize && window > TimeSpan.Zero)
            {
                await Task.Delay(window).ConfigureAwait(false);
                Take(reader, batch);
            }
            batch.RemoveAll(p => p.Token.IsCancellationRequested && p.Done.TrySetCanceled(p.Token));
            if (batch.Count == 0)
                continue;
            try
            {
                var clock = Stopwatch.StartNew();
                var vectors = _encode([.. batch.Select(p => p.Text)]);
                var each = clock.Elapsed.TotalMilliseconds / batch.Count;
                Interlocked.Increment(ref _batches);
                Interlocked.Add(ref _texts, batch.Count);
                for (var i = 0; i < batch.Count; i++)
                    batch[i].Done.TrySetResult(new EncodedText(vectors[i], each));
            }
            catch (Exception e)
            {
                // The loop serves every later caller: a failed batch fails its own callers only.
                foreach (var p in batch)
                    p.Done.TrySetException(e);
            }
        }
    }

    private void Take(ChannelReader<Pending> reader, List<Pending> batch)
    {
        while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var p))
            batch.Add(p);
    }

    private sealed class Pending(string text, CancellationToken token)
    {
        public string Text { get; } = text;

        public CancellationToken Token { get; } = token;

        // Continuations run off the encoder loop, so a slow caller never delays the next batch.
        public TaskCompletionSource<EncodedText> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

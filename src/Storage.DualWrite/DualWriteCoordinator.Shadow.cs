using System.Threading.Channels;

namespace Storage.DualWrite;

public sealed partial class DualWriteCoordinator
{
    private Channel<Func<CancellationToken, Task>>? _shadowQueue;

    /// <summary>True when this read is sampled for a shadow comparison (<see cref="DualWriteOptions.ShadowSampleRate"/>).</summary>
    internal bool ShouldShadow()
    {
        var rate = Options.ShadowSampleRate;
        return rate > 0 && (rate >= 1 || Random.Shared.NextDouble() < rate);
    }

    /// <summary>
    /// Queues a comparison of <paramref name="primary"/> with the same read against the other backend. Never blocks:
    /// when the queue is full the comparison is dropped and counted. <see cref="RunShadowComparisonsAsync"/> works the queue.
    /// </summary>
    internal void Shadow<T>(EntityKey key, Task<T> primary, Func<CancellationToken, Task<T>> otherRead)
    {
        var queue = ShadowQueue;
        if (!queue.Writer.TryWrite(token => CompareAsync(key, primary, otherRead, token)))
        {
            Telemetry.Shadow("dropped");
        }
    }

    /// <summary>Works the shadow queue until <paramref name="cancellationToken"/> is canceled (run by <see cref="DualWriteReconciler"/>).</summary>
    internal async Task RunShadowComparisonsAsync(CancellationToken cancellationToken)
    {
        var reader = ShadowQueue.Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            while (reader.TryRead(out var compare))
            {
                await compare(cancellationToken);
            }
        }
    }

    private Channel<Func<CancellationToken, Task>> ShadowQueue
    {
        get
        {
            var queue = Volatile.Read(ref _shadowQueue);
            if (queue is not null)
            {
                return queue;
            }

            var created = Channel.CreateBounded<Func<CancellationToken, Task>>(
                new BoundedChannelOptions(Options.ShadowQueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
                _ => Telemetry.Shadow("dropped"));
            return Interlocked.CompareExchange(ref _shadowQueue, created, null) ?? created;
        }
    }

    private async Task CompareAsync<T>(EntityKey key, Task<T> primary, Func<CancellationToken, Task<T>> otherRead, CancellationToken cancellationToken)
    {
        try
        {
            var expected = await primary;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Options.ShadowTimeout);
            var actual = await otherRead(timeout.Token).WaitAsync(timeout.Token);
            var fields = ShadowDiff.Fields(expected, actual);
            if (fields.Count == 0)
            {
                Telemetry.Shadow("match");
                return;
            }

            Telemetry.Shadow("mismatch");
            var kind = RepairJournal.NameOf(key.Kind);
            foreach (var field in fields)
            {
                Telemetry.ShadowField(kind, field);
            }

            DualWriteLog.ShadowMismatch(Logger, key.ToString(), string.Join(", ", fields));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception)
        {
            // The primary read failed (the caller saw it), or the other backend failed or timed out: nothing to compare.
            Telemetry.Shadow("failed");
        }
    }
}

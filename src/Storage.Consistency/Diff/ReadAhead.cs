using System.Threading.Channels;

namespace Storage.Consistency;

/// <summary>
/// Reads a stream ahead of its consumer on another task, in chunks, through a bounded channel: the two sides of a
/// merge are read at the same time (one waiting on the database while the other parses a file), and memory stays
/// bounded (at most <see cref="ChunkSize"/> times <see cref="Chunks"/> records ahead).
/// </summary>
internal sealed class ReadAhead<T> : IAsyncDisposable
{
    public const int ChunkSize = 256;
    public const int Chunks = 8;

    private readonly Channel<T[]> _channel = Channel.CreateBounded<T[]>(new BoundedChannelOptions(Chunks) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop;
    private readonly Task _producer;
    private T[] _chunk = [];
    private int _index;

    public ReadAhead(IAsyncEnumerable<T> stream, CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _producer = Task.Run(() => ProduceAsync(stream, _stop.Token), CancellationToken.None);
    }

    public T Current => _chunk[_index];

    public async ValueTask<bool> MoveNextAsync()
    {
        if (++_index < _chunk.Length)
        {
            return true;
        }

        while (await _channel.Reader.WaitToReadAsync(_stop.Token))
        {
            if (_channel.Reader.TryRead(out var chunk) && chunk.Length > 0)
            {
                _chunk = chunk;
                _index = 0;
                return true;
            }
        }

        // Completed: rethrows the producer's exception, if any.
        await _producer;
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_producer.IsCompleted)
        {
            await _stop.CancelAsync();
        }

        try
        {
            await _producer;
        }
        catch (Exception)
        {
            // Already reported to the consumer by MoveNextAsync, or the consumer stopped early and no longer cares.
        }

        _stop.Dispose();
    }

    private async Task ProduceAsync(IAsyncEnumerable<T> stream, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            var chunk = new List<T>(ChunkSize);
            await foreach (var item in stream.WithCancellation(cancellationToken))
            {
                chunk.Add(item);
                if (chunk.Count == ChunkSize)
                {
                    await _channel.Writer.WriteAsync([.. chunk], cancellationToken);
                    chunk.Clear();
                }
            }

            if (chunk.Count > 0)
            {
                await _channel.Writer.WriteAsync([.. chunk], cancellationToken);
            }
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            _channel.Writer.TryComplete(failure);
        }
    }
}

using System.Buffers;
using System.Buffers.Binary;
using Npgsql;

namespace Storage.Postgres;

/// <summary>
/// A binary <c>COPY … FROM STDIN (FORMAT BINARY)</c> encoded here and written to Npgsql's raw copy stream in large
/// chunks: the header, then rows (<see cref="StartRow"/>, one field method per column, <see cref="EndRowAsync"/>),
/// then <see cref="CompleteAsync"/>, which writes the trailer and ends the COPY. Each field is encoded as Npgsql's
/// binary importer encodes that value for that type (the field methods, in <c>PostgresCopyWriter.Fields.cs</c>), without a
/// parameter and a task per value.
/// </summary>
/// <remarks>
/// <para>
/// Disposing the writer before <see cref="CompleteAsync"/> succeeded cancels the COPY (CopyFail): a half-written
/// COPY is never committed. (Disposing Npgsql's raw write stream itself would end the COPY and keep its rows, so
/// only <see cref="CompleteAsync"/> does that.)
/// </para>
/// <para>Rows are buffered and sent once the buffer passes 64 KiB; a row larger than the buffer grows it. Not thread safe.</para>
/// </remarks>
internal sealed partial class PostgresCopyWriter : IAsyncDisposable
{
    /// <summary>The buffer is sent once a row ends with this much in it.</summary>
    private const int FlushThreshold = 64 * 1024;

    private const int InitialBufferSize = 2 * FlushThreshold;

    /// <summary>The signature, the flags (none) and the length of the header extension (none).</summary>
    private static ReadOnlySpan<byte> Header => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private readonly NpgsqlRawCopyStream _stream;
    private byte[] _buffer;
    private int _length;

    /// <summary>Where the field count of the row being written goes; -1 between rows.</summary>
    private int _rowStart = -1;

    private short _fields;
    private bool _ended;

    private PostgresCopyWriter(NpgsqlRawCopyStream stream)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        Header.CopyTo(_buffer);
        _length = Header.Length;
    }

    /// <summary>Starts <paramref name="copySql"/> (<c>COPY … FROM STDIN (FORMAT BINARY)</c>) on <paramref name="connection"/>.</summary>
    /// <param name="connection">An open connection; it runs nothing else until the writer is completed or disposed.</param>
    /// <param name="copySql">The COPY statement.</param>
    /// <param name="timeout">How long one write or the end of the COPY may wait for the server; the connection's command timeout when null.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    public static async Task<PostgresCopyWriter> BeginAsync(
        NpgsqlConnection connection, string copySql, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var stream = await connection.BeginRawBinaryCopyAsync(copySql, cancellationToken);
        if (timeout is { } limit)
        {
            stream.ReadTimeout = stream.WriteTimeout = (int)limit.TotalMilliseconds;
        }

        return new PostgresCopyWriter(stream);
    }

    /// <summary>Starts a row; its fields follow, then <see cref="EndRowAsync"/>.</summary>
    /// <exception cref="InvalidOperationException">A row is open, or the COPY has ended.</exception>
    public void StartRow()
    {
        ObjectDisposedException.ThrowIf(_ended, this);
        if (_rowStart >= 0)
        {
            throw new InvalidOperationException("The previous row of the COPY is not ended.");
        }

        _rowStart = _length;
        _fields = 0;
        Reserve(sizeof(short));
    }

    /// <summary>Ends the row (writes its field count); sends the buffer when it is full, and only then waits.</summary>
    /// <exception cref="InvalidOperationException">No row is open.</exception>
    public ValueTask EndRowAsync(CancellationToken cancellationToken)
    {
        if (_rowStart < 0)
        {
            throw new InvalidOperationException("No row of the COPY is open.");
        }

        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_rowStart), _fields);
        _rowStart = -1;
        return _length >= FlushThreshold ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    /// <summary>
    /// Writes the trailer, sends what is buffered and ends the COPY: the server then checks the rows (constraints,
    /// triggers) and reports a failure here, as a <see cref="PostgresException"/>. The writer is unusable afterwards.
    /// </summary>
    /// <exception cref="InvalidOperationException">A row is open.</exception>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_ended, this);
        if (_rowStart >= 0)
        {
            throw new InvalidOperationException("The last row of the COPY is not ended.");
        }

        BinaryPrimitives.WriteInt16BigEndian(Reserve(sizeof(short)), -1);
        await FlushAsync(cancellationToken);

        // From here on the stream is Npgsql's to end, whatever the server answers: nothing is left to cancel.
        _ended = true;
        ReturnBuffer();
        await _stream.DisposeAsync();
    }

    /// <summary>Cancels the COPY unless <see cref="CompleteAsync"/> ended it: nothing written by this writer is kept.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        ReturnBuffer();
        try
        {
            await _stream.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // A failed write broke the connection and ended the COPY: there is nothing left to cancel.
        }
    }

    /// <summary>Appends <paramref name="count"/> bytes to the buffer, growing it when needed, and returns them to fill.</summary>
    private Span<byte> Reserve(int count)
    {
        EnsureRoom(count);
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    /// <summary>Makes room for <paramref name="count"/> more bytes, growing the buffer for a row bigger than it.</summary>
    private void EnsureRoom(int count)
    {
        if (_buffer.Length - _length >= count)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(checked(_length + count), 2 * _buffer.Length));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(_buffer.AsMemory(0, _length), cancellationToken);
        _length = 0;
    }

    private void ReturnBuffer()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _length = 0;
    }
}

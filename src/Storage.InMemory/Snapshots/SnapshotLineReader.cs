namespace Storage.InMemory;

/// <summary>
/// Splits a UTF-8 stream into lines without decoding it, over one pooled-size buffer that grows only for a
/// longer line, up to <see cref="SnapshotFormat.MaxLineLength"/>. Line ends are those of <see cref="StreamReader.ReadLine"/>:
/// <c>\n</c>, <c>\r\n</c> or a lone <c>\r</c>; a last line without an end is still a line. Not thread-safe.
/// </summary>
internal sealed class SnapshotLineReader : IDisposable
{
    private const int InitialSize = 1 << 16;
    private readonly Stream _stream;
    private byte[] _buffer = new byte[InitialSize];
    private int _start;
    private int _end;
    private bool _atEnd;
    private int _lineStart;
    private int _lineLength;

    public SnapshotLineReader(Stream stream) => _stream = stream;

    /// <summary>The line read by the last successful <see cref="ReadLineAsync"/>, without its line end; valid until the next read.</summary>
    public ReadOnlySpan<byte> Line => _buffer.AsSpan(_lineStart, _lineLength);

    /// <summary>Reads the next line into <see cref="Line"/>; false at the end of the stream.</summary>
    /// <exception cref="IOException">The stream could not be read.</exception>
    /// <exception cref="InvalidDataException">The line is longer than <see cref="SnapshotFormat.MaxLineLength"/> bytes.</exception>
    public ValueTask<bool> ReadLineAsync(CancellationToken cancellationToken)
        => TryTakeLine() is { } found ? new(found) : FillThenReadLineAsync(cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();

    private async ValueTask<bool> FillThenReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                // At most room for the longest line and a \r\n after it: full, it holds a line too long.
                if (_buffer.Length >= SnapshotFormat.MaxLineLength + 2)
                {
                    throw TooLong();
                }

                Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, SnapshotFormat.MaxLineLength + 2));
            }

            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            _end += read;
            _atEnd = read == 0;
            if (TryTakeLine() is { } found)
            {
                // Only the first line taken after a read can be too long: any other starts after a line end in this
                // buffer (at most the longest line and two bytes) and ends at its own end or at the stream's end, which
                // a read into a buffer with room found.
                return _lineLength > SnapshotFormat.MaxLineLength ? throw TooLong() : found;
            }
        }
    }

    private static InvalidDataException TooLong() => new($"The line is longer than {SnapshotFormat.MaxLineLength} bytes.");

    /// <summary>True with a line, false at the end of the stream, null when more bytes are needed to tell.</summary>
    private bool? TryTakeLine()
    {
        var data = _buffer.AsSpan(_start, _end - _start);
        var at = data.IndexOfAny((byte)'\n', (byte)'\r');
        if (at < 0 || (at == data.Length - 1 && data[at] == '\r' && !_atEnd))
        {
            if (!_atEnd)
            {
                return null;
            }

            if (data.IsEmpty)
            {
                return false;
            }

            at = data.Length;
        }

        _lineStart = _start;
        _lineLength = at;
        var ending = at == data.Length ? 0 : data[at] == '\r' && at + 1 < data.Length && data[at + 1] == '\n' ? 2 : 1;
        _start += at + ending;
        return true;
    }
}

using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Storage.Abstractions;

namespace Storage.InMemory;

/// <summary>
/// Reads a snapshot file as a stream of validated records, in file order (sections in order, keys ascending),
/// with constant memory. Every problem — a missing or truncated file, bad JSON, another format version,
/// a section or key out of order, an invalid record — is a <see cref="SnapshotFormatException"/> naming the line.
/// </summary>
public sealed partial class SnapshotReader : IAsyncDisposable, IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];
    private readonly SnapshotLineReader _reader;
    private readonly SnapshotRecordParser _parser = new();
    private long _line;

    private SnapshotReader(string path, SnapshotLineReader reader, SnapshotHeader header)
    {
        FilePath = path;
        _reader = reader;
        Header = header;
        _line = 1;
    }

    /// <summary>The file being read.</summary>
    public string FilePath { get; }

    /// <summary>The file's header.</summary>
    public SnapshotHeader Header { get; }

    /// <summary>Opens the file and reads its header.</summary>
    /// <exception cref="SnapshotFormatException">
    /// Missing, unreadable, a folder, not a regular file (a pipe cannot be read twice), not a snapshot, or another version.
    /// </exception>
    public static async Task<SnapshotReader> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (UnauthorizedAccessException ex) when (Directory.Exists(path))
        {
            throw new SnapshotFormatException(path, null, "is a folder, not a snapshot file", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SnapshotFormatException(path, null, $"cannot be opened ({ex.Message})", ex);
        }

        if (!stream.CanSeek)
        {
            // The checker reads the end line for its progress and a repair reads the file twice; a pipe gives its bytes once.
            stream.Dispose();
            throw new SnapshotFormatException(
                path, null, $"is not a regular file ({path} is a pipe or the like, read only once): a snapshot is read more than once, so write it to a file first");
        }

        var reader = new SnapshotLineReader(stream);
        try
        {
            if (!await ReadLineAsync(reader, path, 1, cancellationToken))
            {
                throw new SnapshotFormatException(path, null, "is empty: a snapshot starts with a header line");
            }

            if (reader.Line.StartsWith(Utf8Bom))
            {
                throw new SnapshotFormatException(path, 1, "starts with a UTF-8 byte-order mark, which the format does not allow: save the file as UTF-8 without a BOM");
            }

            var header = ParseHeader(path, Decode(path, 1, reader.Line));
            return new SnapshotReader(path, reader, header);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>Every record in file order, validated and normalized. Throws at the first problem.</summary>
    public async IAsyncEnumerable<SnapshotRecord> ReadRecordsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        SnapshotSection? section = null;
        object? previous = null;
        long records = 0;
        while (true)
        {
            if (!await ReadLineAsync(_reader, FilePath, _line + 1, cancellationToken))
            {
                throw Error(null, "is truncated: it ends without its end line (was the write interrupted?)");
            }

            _line++;
            var raw = ParseLine();
            if (raw is SnapshotEnd end)
            {
                CheckEnd(end, records);
                if (await ReadLineAsync(_reader, FilePath, _line + 1, cancellationToken))
                {
                    throw Error(_line + 1, _reader.Line.IsEmpty ? "has a blank line after the end line, which must be the last" : "has data after the end line");
                }

                yield break;
            }

            var current = SectionOf(raw);
            if (section is { } s && current < s)
            {
                throw Error(_line, $"has {SnapshotFormat.WithArticle(SnapshotFormat.Tag(current))} record after {SnapshotFormat.Tag(s)} records; sections must be in the order project, dependency, contributor, asset, contribution, agent_task");
            }

            if (section != current)
            {
                previous = null;
            }

            section = current;
            var value = Normalize(current, raw);
            if (previous is not null && CompareKeys(current, previous, value) >= 0)
            {
                throw Error(_line, $"has {SnapshotFormat.WithArticle(SnapshotFormat.Tag(current))} record out of key order (each section is sorted by key, without duplicates)");
            }

            previous = value;
            records++;
            yield return new SnapshotRecord(current, _line, value);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _reader.Dispose();

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        return ValueTask.CompletedTask;
    }

    private static ValueTask<bool> ReadLineAsync(SnapshotLineReader reader, string path, long line, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var read = reader.ReadLineAsync(cancellationToken);
        return read.IsCompletedSuccessfully ? read : AwaitLineAsync(read, path, line);
    }

    private static async ValueTask<bool> AwaitLineAsync(ValueTask<bool> read, string path, long line)
    {
        try
        {
            return await read;
        }
        catch (IOException ex)
        {
            throw new SnapshotFormatException(path, line, $"cannot be read ({ex.Message})", ex);
        }
        catch (InvalidDataException ex)
        {
            throw new SnapshotFormatException(
                path, line, $"is longer than {SnapshotFormat.MaxLineLength >> 20} MiB ({SnapshotFormat.MaxLineLength} bytes), the most a snapshot line may have", ex);
        }
    }

    /// <summary>The line as text, decoded as strictly as it is checked.</summary>
    private static string Decode(string path, long line, ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new SnapshotFormatException(path, line, "is not valid UTF-8", ex);
        }
    }

    private SnapshotFormatException Error(long? line, string message, Exception? inner = null) => new(FilePath, line, message, inner);
}

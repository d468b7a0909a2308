using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Storage.InMemory;

namespace Storage.Consistency;

/// <summary>
/// A snapshot file (docs/snapshot-format.md) as one side of a check. The file is read once, front to back, with
/// <see cref="SnapshotReader"/>: each kind's stream reads its section and stops at the next, so memory stays constant
/// whatever the file's size. Asking for a kind again, or for an earlier kind, reads the file again from the start.
/// </summary>
/// <remarks>
/// Thread safety: not safe for concurrent use; the checker reads one kind at a time. A problem in the file (truncated,
/// corrupt, another version, out of order) is a <see cref="SnapshotFormatException"/> from the stream that meets it;
/// <see cref="ValidateAsync"/> reads the whole file first, for callers that must not act on a bad file.
/// </remarks>
public sealed class SnapshotFileSource : IConsistencySource
{
    private SnapshotReader _reader;
    private IAsyncEnumerator<SnapshotRecord>? _records;
    private SnapshotRecord? _pending;
    private bool _atEnd;
    private SnapshotSection? _started;

    private SnapshotFileSource(SnapshotReader reader)
    {
        _reader = reader;
        FilePath = reader.FilePath;
    }

    /// <summary>The snapshot file.</summary>
    public string FilePath { get; }

    /// <summary>The file's header.</summary>
    public SnapshotHeader Header => _reader.Header;

    /// <inheritdoc/>
    public string Description => $"snapshot {FilePath}";

    /// <inheritdoc/>
    public DateTimeOffset? TakenAt => _reader.Header.TakenAt;

    /// <inheritdoc/>
    public bool CanLookUp => false;

    /// <summary>Opens the file and reads its header.</summary>
    /// <exception cref="SnapshotFormatException">Missing, unreadable, not a snapshot, or of another format version.</exception>
    public static async Task<SnapshotFileSource> OpenAsync(string path, CancellationToken cancellationToken = default)
        => new(await SnapshotReader.OpenAsync(path, cancellationToken));

    /// <summary>
    /// Reads the whole file once (without keeping it) and returns how many records it holds: every problem a stream
    /// would meet later is thrown now.
    /// </summary>
    /// <exception cref="SnapshotFormatException">The file is not a complete, valid snapshot.</exception>
    public async Task<long> ValidateAsync(CancellationToken cancellationToken = default)
    {
        await using var reader = await SnapshotReader.OpenAsync(FilePath, cancellationToken);
        long records = 0;
        await foreach (var _ in reader.ReadRecordsAsync(cancellationToken))
        {
            records++;
        }

        return records;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Reads the count from the file's end line; null when the file has none (it is truncated) or can no longer be read
    /// from its end (replaced by a pipe since it was opened).
    /// </remarks>
    public async ValueTask<long?> EstimateRecordCountAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
            if (!stream.CanSeek)
            {
                return null;
            }

            var length = Math.Min(stream.Length, 256);
            stream.Seek(-length, SeekOrigin.End);
            var buffer = new byte[length];
            await stream.ReadExactlyAsync(buffer, cancellationToken);
            var text = Encoding.UTF8.GetString(buffer).TrimEnd('\n');
            var last = text[(text.LastIndexOf('\n') + 1)..];
            using var document = JsonDocument.Parse(last);
            return document.RootElement.GetProperty("end").GetProperty("records").GetInt64();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException
            or InvalidOperationException or FormatException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<Project> StreamProjectsAsync(CancellationToken cancellationToken = default)
        => SectionAsync<Project>(SnapshotSection.Projects, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<DependencyEdge> StreamDependenciesAsync(CancellationToken cancellationToken = default)
        => SectionAsync<DependencyEdge>(SnapshotSection.Dependencies, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<Contributor> StreamContributorsAsync(CancellationToken cancellationToken = default)
        => SectionAsync<Contributor>(SnapshotSection.Contributors, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<Asset> StreamAssetsAsync(CancellationToken cancellationToken = default)
        => SectionAsync<Asset>(SnapshotSection.Assets, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<Contribution> StreamContributionsAsync(CancellationToken cancellationToken = default)
        => SectionAsync<Contribution>(SnapshotSection.Contributions, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<AgentTask> StreamTasksAsync(CancellationToken cancellationToken = default)
        => SectionAsync<AgentTask>(SnapshotSection.AgentTasks, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: a snapshot is read front to back only.</exception>
    public ValueTask<object?> LookUpAsync(RecordKey key, CancellationToken cancellationToken = default)
        => throw new NotSupportedException("A snapshot file is read front to back; it has no look-up by key.");

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_records is not null)
        {
            await _records.DisposeAsync();
        }

        await _reader.DisposeAsync();
    }

    private async IAsyncEnumerable<T> SectionAsync<T>(SnapshotSection section, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_started is { } started && section <= started)
        {
            await RewindAsync(cancellationToken);
        }

        _started = section;

        // One enumeration of the file serves every section, so it is not tied to the first section's token.
        _records ??= _reader.ReadRecordsAsync(CancellationToken.None).GetAsyncEnumerator(CancellationToken.None);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_pending is null)
            {
                if (_atEnd || !await _records.MoveNextAsync())
                {
                    _atEnd = true;
                    yield break;
                }

                _pending = _records.Current;
            }

            if (_pending.Section > section)
            {
                yield break;
            }

            var record = _pending;
            _pending = null;
            if (record.Section == section)
            {
                yield return (T)record.Value;
            }
        }
    }

    private async Task RewindAsync(CancellationToken cancellationToken)
    {
        if (_records is not null)
        {
            await _records.DisposeAsync();
            _records = null;
        }

        await _reader.DisposeAsync();
        _reader = await SnapshotReader.OpenAsync(FilePath, cancellationToken);
        _pending = null;
        _atEnd = false;
        _started = null;
    }
}

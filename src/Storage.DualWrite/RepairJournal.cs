using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Storage.DualWrite;

/// <summary>
/// The durable list of keys whose two backends may differ, and which backend holds the good state of each. A local,
/// append-only file of JSON lines: <c>{"event":"dirty","kind":"project","key":["npm","react"],"good":"source",...}</c>
/// or <c>{"event":"repaired",...}</c>, written and flushed on every change, replayed by <see cref="Open"/> (a key whose
/// last event is "dirty" is pending again) and compacted: emptied when nothing is pending, rewritten when it has grown
/// far beyond what is pending.
/// </summary>
/// <remarks>
/// Thread safety: all members are safe for concurrent use. Changes are serialized by one lock; look-ups
/// (<see cref="TryGetGoodSide"/>, <see cref="PendingCount"/>) take no lock and do not allocate.
/// </remarks>
public sealed partial class RepairJournal : IDisposable
{
    private const int CompactAfterLines = 10_000;

    private readonly ConcurrentDictionary<EntityKey, BackendRole> _pending = new();
    private readonly Lock _lock = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly string _path;
    private readonly bool _flushToDisk;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private FileStream? _file;
    private int _pendingCount;
    private int _goodOnSource;
    private long _lines;

    private RepairJournal(string path, bool flushToDisk, TimeProvider timeProvider, ILogger logger)
    {
        _path = path;
        _flushToDisk = flushToDisk;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The journal's file.</summary>
    public string Path => _path;

    /// <summary>How many keys are waiting for repair.</summary>
    public int PendingCount => Volatile.Read(ref _pendingCount);

    /// <summary>How many pending keys have their good state on <paramref name="good"/>.</summary>
    public int PendingWithGoodSide(BackendRole good)
    {
        var onSource = Volatile.Read(ref _goodOnSource);
        return good == BackendRole.Source ? onSource : Volatile.Read(ref _pendingCount) - onSource;
    }

    /// <summary>
    /// Opens (creating it when missing) the journal at <paramref name="path"/>, replays it, and rewrites it to hold only
    /// the pending keys. A line that cannot be read (a write torn by a crash) is skipped with a warning.
    /// </summary>
    /// <param name="path">The journal file; its folder is created when missing.</param>
    /// <param name="flushToDisk">Also force every append to the disk (fsync); by default it is handed to the operating system, which survives a process crash.</param>
    /// <param name="timeProvider">The clock for the times written in each line; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Where replay problems are logged.</param>
    /// <exception cref="IOException">The file cannot be read or written.</exception>
    public static RepairJournal Open(string path, bool flushToDisk = false, TimeProvider? timeProvider = null, ILogger<RepairJournal>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(full) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var journal = new RepairJournal(full, flushToDisk, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance);
        journal.Replay();
        lock (journal._lock)
        {
            journal.RewriteUnderLock();
        }

        DualWriteLog.JournalOpened(journal._logger, full, journal.PendingCount);
        return journal;
    }

    /// <summary>True (with the backend holding the good state) when <paramref name="key"/> is waiting for repair.</summary>
    public bool TryGetGoodSide(in EntityKey key, out BackendRole good)
    {
        if (Volatile.Read(ref _pendingCount) == 0)
        {
            good = default;
            return false;
        }

        return _pending.TryGetValue(key, out good);
    }

    /// <summary>The keys waiting for repair, each with the backend that holds its good state (a snapshot).</summary>
    public IReadOnlyList<KeyValuePair<EntityKey, BackendRole>> Pending() => [.. _pending];

    /// <summary>Records that <paramref name="key"/> may differ between the backends and that <paramref name="good"/> holds its good state.</summary>
    /// <param name="key">The key.</param>
    /// <param name="good">The backend holding the key's good state.</param>
    /// <param name="keepPending">When the key is already pending, leave it as it is (whichever side it names).</param>
    /// <returns>True when the key was not pending before.</returns>
    public bool MarkDirty(in EntityKey key, BackendRole good, bool keepPending = false)
    {
        lock (_lock)
        {
            var added = !_pending.TryGetValue(key, out var previous);
            if (!added && (previous == good || keepPending))
            {
                return false;
            }

            _pending[key] = good;
            if (added)
            {
                _pendingCount++;
            }

            _goodOnSource += (good == BackendRole.Source ? 1 : 0) - (!added && previous == BackendRole.Source ? 1 : 0);

            Append("dirty", key, good);
            return added;
        }
    }

    /// <summary>Records that <paramref name="key"/> was repaired from <paramref name="good"/>; a key since marked with the other side stays pending.</summary>
    /// <returns>True when the key is no longer pending.</returns>
    public bool MarkRepaired(in EntityKey key, BackendRole good)
    {
        lock (_lock)
        {
            if (!_pending.TryRemove(new KeyValuePair<EntityKey, BackendRole>(key, good)))
            {
                return false;
            }

            _pendingCount--;
            _goodOnSource -= good == BackendRole.Source ? 1 : 0;
            if (_pendingCount == 0)
            {
                Truncate();
            }
            else
            {
                Append("repaired", key, good);
                if (_lines > CompactAfterLines && _lines > 4L * _pendingCount)
                {
                    RewriteUnderLock();
                }
            }

            return true;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_lock)
        {
            _file?.Dispose();
            _file = null;
        }
    }

    private void Append(string kind, in EntityKey key, BackendRole good)
    {
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            WriteEntry(writer, kind, key, good, StorageTime.Now(_timeProvider));
        }

        _buffer.Write("\n"u8);
        try
        {
            var file = _file ?? throw new ObjectDisposedException(nameof(RepairJournal));
            file.Write(_buffer.WrittenSpan);
            file.Flush(_flushToDisk);
            _lines++;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The key stays pending in memory and is repaired while the process lives; only its durability is lost.
            DualWriteLog.JournalWriteFailed(_logger, ex, key.ToString(), _path);
        }
    }

    private void Truncate()
    {
        try
        {
            _file?.SetLength(0);
            _file?.Flush(_flushToDisk);
            _lines = 0;
        }
        catch (IOException ex)
        {
            DualWriteLog.JournalWriteFailed(_logger, ex, "(compaction)", _path);
        }
    }

    /// <summary>Writes the pending keys to a new file, swaps it in, and reopens it for appending. Call under the lock.</summary>
    private void RewriteUnderLock()
    {
        var temporary = _path + ".tmp";
        var now = StorageTime.Now(_timeProvider);
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            foreach (var (key, good) in _pending)
            {
                using (var writer = new Utf8JsonWriter(stream))
                {
                    WriteEntry(writer, "dirty", key, good, now);
                }

                stream.Write("\n"u8);
            }

            stream.Flush(_flushToDisk);
        }

        _file?.Dispose();
        File.Move(temporary, _path, overwrite: true);
        // Not FileMode.Append: a file opened to append cannot be truncated when everything is repaired.
        _file = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, bufferSize: 1);
        _file.Seek(0, SeekOrigin.End);
        _lines = _pending.Count;
    }
}

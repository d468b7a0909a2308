using Storage.Abstractions;

namespace Storage.InMemory;

/// <summary>
/// The in-memory <see cref="IGraphStore"/>: the reference backend the others are checked against.
/// </summary>
/// <remarks>
/// Thread safety: every member is safe for concurrent use. One lock guards all state, so a reader never sees
/// half of a write and derived values (dependency counts, asset totals) stay exact. Records are immutable
/// and lists are fresh arrays, so nothing a caller does with a result changes the store. Operations complete
/// synchronously; their tasks are already finished when returned.
/// </remarks>
public sealed partial class InMemoryGraphStore : IGraphStore
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly IStorageIdGenerator _idGenerator;
    private GraphState _state = new();

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock for created and updated times.</param>
    /// <param name="idGenerator">The source of new ids.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public InMemoryGraphStore(TimeProvider timeProvider, IStorageIdGenerator idGenerator)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(idGenerator);
        _timeProvider = timeProvider;
        _idGenerator = idGenerator;
    }

    /// <summary>
    /// Atomically replaces all of this store's contents with those of <paramref name="source"/>, which must be a
    /// private instance no one else uses; <paramref name="source"/> is left empty.
    /// </summary>
    internal void ReplaceContents(InMemoryGraphStore source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (ReferenceEquals(source, this))
        {
            return;
        }

        GraphState taken;
        lock (source._lock)
        {
            taken = source._state;
            source._state = new GraphState();
        }

        lock (_lock)
        {
            _state = taken;
        }
    }

    /// <summary>"Now" for one operation: UTC, whole microseconds.</summary>
    private DateTimeOffset Now() => StorageTime.Now(_timeProvider);
}

using Storage.Consistency;

namespace Storage.DualWrite;

/// <summary>
/// Hands every difference a consistency check finds to the dual-write repair journal, with the backend that is
/// authoritative at that moment as the good side, so the reconciler copies those keys under the decorator's key locks
/// (never over a newer write). Register it as the <see cref="IDriftSink"/> of the in-host check.
/// </summary>
public sealed class RepairJournalDriftSink : IDriftSink
{
    private readonly DualWriteCoordinator _coordinator;
    private long _journaled;

    /// <summary>Creates a sink writing to <paramref name="coordinator"/>'s journal.</summary>
    public RepairJournalDriftSink(DualWriteCoordinator coordinator)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        _coordinator = coordinator;
    }

    /// <summary>Keys handed to the journal so far.</summary>
    public long Journaled => Interlocked.Read(ref _journaled);

    /// <summary>The journal key of a checker key: the same kind and the same key parts.</summary>
    public static EntityKey KeyOf(RecordKey key) => key.Kind switch
    {
        RecordKind.Project => EntityKey.Project(key.ProjectKey),
        RecordKind.Dependency => EntityKey.Dependency(key.Edge),
        RecordKind.Contributor => EntityKey.Contributor(key.Id),
        RecordKind.Asset => EntityKey.Asset(key.Id),
        RecordKind.Contribution => EntityKey.Contribution(key.Id),
        RecordKind.AgentTask => EntityKey.AgentTask(key.TaskId),
        _ => throw new ArgumentOutOfRangeException(nameof(key), key.Kind, "Not a kind the journal knows."),
    };

    /// <inheritdoc />
    public ValueTask OnDriftAsync(IReadOnlyList<Drift> drifts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drifts);
        var good = _coordinator.Flags.Current.Authoritative;
        foreach (var drift in drifts)
        {
            _coordinator.Journal.MarkDirty(KeyOf(drift.Key), good);
            Interlocked.Increment(ref _journaled);
        }

        return ValueTask.CompletedTask;
    }
}

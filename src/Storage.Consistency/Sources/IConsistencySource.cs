namespace Storage.Consistency;

/// <summary>
/// One side of a check: something that offers every record kind as a stream in key order (the orders of
/// <see cref="StorageOrdering"/>): a pair of live stores (<see cref="LiveStoreSource"/>) or a snapshot file
/// (<see cref="SnapshotFileSource"/>).
/// </summary>
/// <remarks>
/// The checker reads the kinds once each, in <see cref="RecordKinds.All"/> order, one at a time. Look-ups by key are
/// used only by the recheck, and only when <see cref="CanLookUp"/> is true.
/// </remarks>
public interface IConsistencySource : IAsyncDisposable
{
    /// <summary>What this side is, for reports and messages (never a password): <c>snapshot data/s.jsonl</c>, <c>postgres db/storage</c>.</summary>
    string Description { get; }

    /// <summary>When a snapshot's data was taken; null for live stores, whose records may change at any time.</summary>
    DateTimeOffset? TakenAt { get; }

    /// <summary>True when the side answers look-ups by key (live stores); false for a snapshot, which does not change.</summary>
    bool CanLookUp { get; }

    /// <summary>How many records the side holds in all, exactly or approximately; null when unknown. For progress only.</summary>
    ValueTask<long?> EstimateRecordCountAsync(CancellationToken cancellationToken = default);

    /// <summary>Every project, by key.</summary>
    IAsyncEnumerable<Project> StreamProjectsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every edge, by from then to.</summary>
    IAsyncEnumerable<DependencyEdge> StreamDependenciesAsync(CancellationToken cancellationToken = default);

    /// <summary>Every contributor, by id (UUID byte order).</summary>
    IAsyncEnumerable<Contributor> StreamContributorsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every asset, by id.</summary>
    IAsyncEnumerable<Asset> StreamAssetsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every contribution, by id.</summary>
    IAsyncEnumerable<Contribution> StreamContributionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every agent task, by id (code-point order).</summary>
    IAsyncEnumerable<AgentTask> StreamTasksAsync(CancellationToken cancellationToken = default);

    /// <summary>The record with this key as the side holds it now, or null when it holds none.</summary>
    /// <exception cref="NotSupportedException"><see cref="CanLookUp"/> is false.</exception>
    ValueTask<object?> LookUpAsync(RecordKey key, CancellationToken cancellationToken = default);
}

namespace Storage.Consistency;

/// <summary>How a check runs. The defaults suit a command-line check of a full data set.</summary>
public sealed record ConsistencyCheckOptions
{
    /// <summary>Keys kept per kind and category for the report's samples: 0..100,000; <value>100</value> by default.</summary>
    public int SampleSize { get; init; } = 100;

    /// <summary>Differing records handed to the sink per call: 1..100,000; <value>5,000</value> by default.</summary>
    public int SinkBatchSize { get; init; } = 5_000;

    /// <summary>
    /// When set, the keys found different are read again on both sides after this delay, and only those still different
    /// (with the same values as in the first pass) are reported and handed to the sink. Null (the default): no recheck.
    /// </summary>
    public TimeSpan? RecheckDelay { get; init; }

    /// <summary>
    /// At most this many differences are held for the recheck (with their records, so memory is bounded); the ones past
    /// it are reported as found and not handed to the sink. Bounds as well the records differing in a derived value
    /// alone (a project's <c>dependency_count</c>, an asset's <c>total_cost</c>), held until their edges or contributions
    /// are compared (past it they are differences, taken to be explained). 1..1,000,000;
    /// <value>10,000</value> by default.
    /// </summary>
    public int RecheckLimit { get; init; } = 10_000;

    /// <summary>
    /// Records of a live side stamped after this time are "changed since the snapshot", not differences. Null (the
    /// default) takes the snapshot's taken time when one side is a snapshot, and the check's start when both are live.
    /// </summary>
    public DateTimeOffset? ChangedAfter { get; init; }

    /// <summary>Updated while the check runs, for a progress display; null by default.</summary>
    public ConsistencyProgress? Progress { get; init; }

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(SampleSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SampleSize, 100_000);
        ArgumentOutOfRangeException.ThrowIfLessThan(SinkBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SinkBatchSize, 100_000);
        ArgumentOutOfRangeException.ThrowIfLessThan(RecheckLimit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(RecheckLimit, 1_000_000);
        if (RecheckDelay is { } delay)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero, nameof(RecheckDelay));
        }
    }
}

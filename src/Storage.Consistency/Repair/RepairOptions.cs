namespace Storage.Consistency;

/// <summary>How a repair writes.</summary>
public sealed record RepairOptions
{
    /// <summary>Records per import batch (each batch is written whole or not at all): 1..100,000; <value>5,000</value> by default.</summary>
    public int BatchSize { get; init; } = 5_000;

    /// <summary>
    /// Whether records only the target holds are deleted: projects (with their edges) and edges can be; the store
    /// contracts have no delete for contributors, assets, contributions and tasks, so those are reported instead.
    /// <value>false</value> by default.
    /// </summary>
    public bool DeleteExtras { get; init; }

    /// <summary>
    /// Whether a kind whose target table is empty is loaded in one piece through the target's
    /// <see cref="LiveStoreSource.BulkLoader"/> instead of in batches (constraints and unique indexes built once over
    /// all the rows, in the load, and every loaded kind committed at once; the other indexes built after the commit,
    /// <see cref="IBulkLoadSession.FinishAsync"/>); <value>true</value> by default. A target without a bulk loader is
    /// written in batches either way.
    /// </summary>
    public bool BulkLoad { get; init; } = true;

    /// <summary>Whether to only count and list what would be written and deleted; <value>false</value> by default.</summary>
    public bool DryRun { get; init; }

    /// <summary>Keys kept per kind for each list of the report (written, deleted, failed): 0..100,000; <value>100</value> by default.</summary>
    public int SampleSize { get; init; } = 100;

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BatchSize, 100_000);
        ArgumentOutOfRangeException.ThrowIfNegative(SampleSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SampleSize, 100_000);
    }
}

namespace Storage.InMemory;

/// <summary>What a snapshot holds: its header and the number of records per section.</summary>
public sealed record SnapshotSummary(SnapshotHeader Header, IReadOnlyDictionary<SnapshotSection, long> Counts)
{
    /// <summary>All records.</summary>
    public long Total => Counts.Values.Sum();
}

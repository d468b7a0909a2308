namespace Storage.InMemory;

/// <summary>The last line of a snapshot: the number of records it holds.</summary>
internal sealed record SnapshotEnd(long Records);

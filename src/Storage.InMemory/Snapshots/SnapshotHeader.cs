namespace Storage.InMemory;

/// <summary>The first line of a snapshot file.</summary>
/// <param name="Format">Always <see cref="SnapshotFormat.Name"/>.</param>
/// <param name="Version">The format version; this library reads and writes <see cref="SnapshotFormat.Version"/>.</param>
/// <param name="TakenAt">When the snapshot was started (UTC). Records updated after it may differ from a live store.</param>
public sealed record SnapshotHeader(string Format, int Version, DateTimeOffset TakenAt);

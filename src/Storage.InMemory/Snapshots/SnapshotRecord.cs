namespace Storage.InMemory;

/// <summary>One record read from a snapshot file: its section, the line it was on, and the record
/// (<see cref="Storage.Abstractions.Project"/>, <see cref="Storage.Abstractions.DependencyEdge"/>,
/// <see cref="Storage.Abstractions.Contributor"/>, <see cref="Storage.Abstractions.Asset"/>,
/// <see cref="Storage.Abstractions.Contribution"/> or <see cref="Storage.Abstractions.AgentTask"/>), already validated and normalized.</summary>
public sealed record SnapshotRecord(SnapshotSection Section, long Line, object Value);

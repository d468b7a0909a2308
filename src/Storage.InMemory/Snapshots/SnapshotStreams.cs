using Storage.Abstractions;

namespace Storage.InMemory;

/// <summary>
/// What a snapshot holds, one stream per kind, each in key order: <see cref="SnapshotWriter"/> reads them one after
/// another, in this order. A source that can read every kind as of one moment (PostgreSQL's
/// <c>PostgresSnapshotRead</c>) gives a file that loads again whatever was written meanwhile.
/// </summary>
public sealed record SnapshotStreams(
    IAsyncEnumerable<Project> Projects,
    IAsyncEnumerable<DependencyEdge> Dependencies,
    IAsyncEnumerable<Contributor> Contributors,
    IAsyncEnumerable<Asset> Assets,
    IAsyncEnumerable<Contribution> Contributions,
    IAsyncEnumerable<AgentTask> Tasks);

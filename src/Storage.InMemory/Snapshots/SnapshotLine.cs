using Storage.Abstractions;

namespace Storage.InMemory;

/// <summary>One record line of a snapshot, <c>{"tag": {record}}</c>, read in a single pass: exactly one property is set.</summary>
internal sealed class SnapshotLine
{
    public Project? Project { get; set; }

    public DependencyEdge? Dependency { get; set; }

    public Contributor? Contributor { get; set; }

    public Asset? Asset { get; set; }

    public Contribution? Contribution { get; set; }

    public AgentTask? AgentTask { get; set; }

    public SnapshotEnd? End { get; set; }

    /// <summary>The number of properties the line set (a valid line sets one).</summary>
    public int Count =>
        (Project is null ? 0 : 1) + (Dependency is null ? 0 : 1) + (Contributor is null ? 0 : 1) + (Asset is null ? 0 : 1)
        + (Contribution is null ? 0 : 1) + (AgentTask is null ? 0 : 1) + (End is null ? 0 : 1);

    /// <summary>The section and record of a record line; null for the end line.</summary>
    public (SnapshotSection Section, object Record)? Record =>
        Project is { } p ? (SnapshotSection.Projects, p)
        : Dependency is { } d ? (SnapshotSection.Dependencies, d)
        : Contributor is { } c ? (SnapshotSection.Contributors, c)
        : Asset is { } a ? (SnapshotSection.Assets, a)
        : Contribution is { } n ? (SnapshotSection.Contributions, n)
        : AgentTask is { } t ? (SnapshotSection.AgentTasks, t)
        : null;
}

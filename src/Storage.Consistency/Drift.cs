namespace Storage.Consistency;

/// <summary>
/// One record that differs between the source and the target, as handed to an <see cref="IDriftSink"/>.
/// </summary>
/// <param name="Key">The record's key.</param>
/// <param name="Category">Missing in the target, extra in the target, or different.</param>
/// <param name="Fields">For <see cref="DriftCategory.Different"/>, the stored names of the differing fields (for example
/// <c>description</c>, <c>dependency_count</c>) in field order; empty otherwise.</param>
/// <param name="Source">The source's record (<see cref="Project"/>, <see cref="DependencyEdge"/>, <see cref="Contributor"/>,
/// <see cref="Asset"/>, <see cref="Contribution"/> or <see cref="AgentTask"/>), or null when it has none.</param>
/// <param name="Target">The target's record, or null when it has none.</param>
public sealed record Drift(RecordKey Key, DriftCategory Category, IReadOnlyList<string> Fields, object? Source, object? Target)
{
    /// <summary>The kind of record.</summary>
    public RecordKind Kind => Key.Kind;

    /// <summary>
    /// True for a difference in derived fields alone (a project's <c>dependency_count</c>, an asset's <c>total_cost</c>)
    /// that no difference in the records they derive from explains: one side's own value disagrees with its edges or
    /// contributions, so writing records cannot fix it. False for every other difference (a derived difference past
    /// <see cref="ConsistencyCheckOptions.RecheckLimit"/> held ones is taken to be explained).
    /// </summary>
    public bool UnexplainedDerived { get; init; }
}

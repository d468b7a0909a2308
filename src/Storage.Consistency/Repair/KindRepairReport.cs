namespace Storage.Consistency;

/// <summary>What a repair did for one kind. Samples hold the first keys, at most <see cref="RepairOptions.SampleSize"/> each.</summary>
public sealed record KindRepairReport
{
    /// <summary>The kind.</summary>
    public required RecordKind Kind { get; init; }

    /// <summary>Missing and different records copied from the source (or that would be).</summary>
    public long Written { get; init; }

    /// <summary>Extra records deleted from the target (or that would be).</summary>
    public long Deleted { get; init; }

    /// <summary>Extra records left because deleting extras was not asked for.</summary>
    public long ExtrasKept { get; init; }

    /// <summary>Extra records left because the store contracts cannot delete this kind.</summary>
    public long ExtrasNotDeletable { get; init; }

    /// <summary>
    /// Records that differ only in a derived field (<c>dependency_count</c>, <c>total_cost</c>): not written, since the
    /// repair of edges and contributions fixes them.
    /// </summary>
    public long DerivedOnly { get; init; }

    /// <summary>
    /// Records that differ only in a derived field with no difference in the records it derives from
    /// (<see cref="Drift.UnexplainedDerived"/>): one side's own value is wrong, and no write of records fixes it. They are
    /// left, and counted in <see cref="RepairReport.Unrepaired"/>.
    /// </summary>
    public long DerivedUnexplained { get; init; }

    /// <summary>Records the target refused (a conflict, a missing reference); the rest of the kind was still repaired.</summary>
    public long Failed { get; init; }

    /// <summary>Whether the kind was bulk-loaded (its target table was empty: <see cref="RepairOptions.BulkLoad"/>).</summary>
    public bool BulkLoaded { get; init; }

    /// <summary>The first refusal's message, or null.</summary>
    public string? FirstFailure { get; init; }

    /// <summary>The first keys written.</summary>
    public IReadOnlyList<RecordKey> WrittenSample { get; init; } = [];

    /// <summary>The first keys deleted.</summary>
    public IReadOnlyList<RecordKey> DeletedSample { get; init; } = [];

    /// <summary>The first keys refused.</summary>
    public IReadOnlyList<RecordKey> FailedSample { get; init; } = [];
}

namespace Storage.Consistency;

/// <summary>What a repair did (or, in a dry run, would do), per kind.</summary>
public sealed record RepairReport
{
    /// <summary>True when nothing was written: the counts say what would be.</summary>
    public bool DryRun { get; init; }

    /// <summary>Whether extras were to be deleted.</summary>
    public bool DeleteExtras { get; init; }

    /// <summary>One report per kind, in <see cref="RecordKinds.All"/> order.</summary>
    public required IReadOnlyList<KindRepairReport> Kinds { get; init; }

    /// <summary>Records written (or that would be), in all kinds.</summary>
    public long Written => Kinds.Sum(k => k.Written);

    /// <summary>Records deleted (or that would be), in all kinds.</summary>
    public long Deleted => Kinds.Sum(k => k.Deleted);

    /// <summary>Records that could not be written or deleted, in all kinds.</summary>
    public long Failed => Kinds.Sum(k => k.Failed);

    /// <summary>Differences the repair leaves: extras kept or not deletable, failures, and unexplained derived values.</summary>
    public long Unrepaired => Kinds.Sum(k => k.ExtrasKept + k.ExtrasNotDeletable + k.Failed + k.DerivedUnexplained);

    /// <summary>True when the repair ran (not a dry run) and left no difference.</summary>
    public bool IsComplete => !DryRun && Unrepaired == 0;
}

namespace Storage.Consistency;

/// <summary>What a check found: per kind, exact counts and a bounded sample of keys.</summary>
public sealed record ConsistencyReport
{
    /// <summary>The source side's description.</summary>
    public required string Source { get; init; }

    /// <summary>The target side's description.</summary>
    public required string Target { get; init; }

    /// <summary>When the check started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the check (and its recheck) ended.</summary>
    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>
    /// Records of a live side stamped after this time (updated time, or created time for contributions) are counted as
    /// changed since the snapshot, not as differences: the snapshot's taken time, the check's start when both sides are
    /// live, or null when neither side is live.
    /// </summary>
    public DateTimeOffset? ChangedAfter { get; init; }

    /// <summary>One report per kind, in <see cref="RecordKinds.All"/> order.</summary>
    public required IReadOnlyList<KindReport> Kinds { get; init; }

    /// <summary>What the recheck did, or null when there was none.</summary>
    public RecheckReport? Recheck { get; init; }

    /// <summary>Records compared in all (keys seen on either side).</summary>
    public long Compared => Kinds.Sum(k => k.Compared);

    /// <summary>Records missing in the target, in all kinds.</summary>
    public long MissingInTarget => Kinds.Sum(k => k.MissingInTarget);

    /// <summary>Records extra in the target, in all kinds.</summary>
    public long ExtraInTarget => Kinds.Sum(k => k.ExtraInTarget);

    /// <summary>Records with differing fields, in all kinds.</summary>
    public long Different => Kinds.Sum(k => k.Different);

    /// <summary>Records changed since the snapshot (not differences), in all kinds.</summary>
    public long ChangedSinceSnapshot => Kinds.Sum(k => k.ChangedSinceSnapshot);

    /// <summary>Missing, extra and different records in all kinds.</summary>
    public long Differences => MissingInTarget + ExtraInTarget + Different;

    /// <summary>True when no kind has a difference.</summary>
    public bool IsConsistent => Differences == 0;

    /// <summary>The report of one kind.</summary>
    public KindReport this[RecordKind kind] => Kinds.First(k => k.Kind == kind);
}

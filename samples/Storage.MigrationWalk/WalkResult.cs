namespace Storage.MigrationWalk;

/// <summary>The outcome of a whole walk.</summary>
public sealed record WalkResult
{
    /// <summary>The options the walk ran with.</summary>
    public required WalkOptions Options { get; init; }

    /// <summary>Each phase's figures, in order.</summary>
    public required IReadOnlyList<PhaseResult> Phases { get; init; }

    /// <summary>Differences the checker found at the end, with the workload stopped and the journal drained.</summary>
    public long FinalDifferences { get; init; }

    /// <summary>Records the final check compared.</summary>
    public long FinalCompared { get; init; }

    /// <summary>Seconds spent generating the data set and starting the host.</summary>
    public double SetupSeconds { get; init; }

    /// <summary>Failed requests over the whole walk.</summary>
    public long Errors => Phases.Sum(p => p.Errors);

    /// <summary>Whether the walk met its bar: no failed request, no stale read, no double claim, no lost update, no final difference.</summary>
    public bool Succeeded => Errors == 0 && Phases.All(p => p.StaleReads == 0 && p.DoubleClaims == 0 && p.LostUpdates == 0) && FinalDifferences == 0;
}

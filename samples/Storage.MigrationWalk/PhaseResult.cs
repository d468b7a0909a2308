namespace Storage.MigrationWalk;

/// <summary>The figures of one phase of the walk.</summary>
public sealed record PhaseResult
{
    /// <summary>The phase's name, e.g. <c>3 read 50%</c>.</summary>
    public required string Name { get; init; }

    /// <summary>How long the phase lasted, the checker included.</summary>
    public double Seconds { get; init; }

    /// <summary>Latency of every request, as the client saw it.</summary>
    public required LatencyStats Requests { get; init; }

    /// <summary>Requests that failed or were answered other than expected.</summary>
    public long Errors { get; init; }

    /// <summary>Errors by what went wrong (operation and status).</summary>
    public IReadOnlyDictionary<string, long> ErrorsByKind { get; init; } = new Dictionary<string, long>();

    /// <summary>Reads of a key the caller had just written that did not return the caller's write.</summary>
    public long StaleReads { get; init; }

    /// <summary>Latency of the host's calls to the in-memory backend.</summary>
    public required LatencyStats InMemory { get; init; }

    /// <summary>Latency of the host's calls to PostgreSQL.</summary>
    public required LatencyStats Postgres { get; init; }

    /// <summary>Reads the decorator served from PostgreSQL.</summary>
    public long ReadsFromPostgres { get; init; }

    /// <summary>Reads the decorator served from the in-memory backend.</summary>
    public long ReadsFromInMemory { get; init; }

    /// <summary>Share of reads served by PostgreSQL, 0..1.</summary>
    public double PostgresReadShare => ReadsFromPostgres + ReadsFromInMemory == 0 ? 0 : (double)ReadsFromPostgres / (ReadsFromPostgres + ReadsFromInMemory);

    /// <summary>Claim races run (several workers claiming one new task).</summary>
    public long ClaimRaces { get; init; }

    /// <summary>Races with other than exactly one winner.</summary>
    public long DoubleClaims { get; init; }

    /// <summary>Races whose winner's last update was not what a read returned.</summary>
    public long LostUpdates { get; init; }

    /// <summary>(second of the walk, latency ms) of every request, for the chart.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<(double Second, double Milliseconds)> Timeline { get; init; } = [];

    /// <summary>What the checker and the faults did in this phase.</summary>
    public required PhaseChecks Checks { get; init; }

    /// <summary>Requests per second achieved.</summary>
    public double Rate => Seconds <= 0 ? 0 : Requests.Count / Seconds;
}

/// <summary>The checker's work and the fault in one phase.</summary>
public sealed record PhaseChecks
{
    /// <summary>Records the backfill repair wrote to PostgreSQL (the dual-write phase), else null.</summary>
    public long? Repaired { get; init; }

    /// <summary>Records the checker compared.</summary>
    public long Compared { get; init; }

    /// <summary>Differences the checker found after its recheck (null when no check ran).</summary>
    public long? Differences { get; init; }

    /// <summary>Whether PostgreSQL was stopped during the phase, and for how long.</summary>
    public TimeSpan? FaultDuration { get; init; }

    /// <summary>When the fault started and ended, in seconds of the walk.</summary>
    public (double From, double To)? FaultWindow { get; init; }

    /// <summary>The repair journal's depth when the phase ended.</summary>
    public int JournalDepth { get; init; }

    /// <summary>Seconds the phase spent after its workload window: draining the journal, the backfill and the check (the workload runs on).</summary>
    public double ClosingSeconds { get; init; }
}

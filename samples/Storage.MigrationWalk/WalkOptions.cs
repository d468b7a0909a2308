namespace Storage.MigrationWalk;

/// <summary>What the walk does: the data size, the request rate, how long each phase lasts, and the fault.</summary>
public sealed record WalkOptions
{
    /// <summary>Projects in the generated data set; every other kind is sized from it (see <see cref="DataSetSize"/>). <value>100,000</value>.</summary>
    public int Projects { get; init; } = 100_000;

    /// <summary>Requests per second offered to the host, all phases. <value>1,000</value>.</summary>
    public int Rate { get; init; } = 1_000;

    /// <summary>How long the workload runs in each phase. <value>60 s</value>.</summary>
    public TimeSpan PhaseDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Workload before the first phase, not reported, so that start-up (JIT, pools) is not counted as phase 1. <value>5 s</value>.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Stops PostgreSQL for <see cref="FaultDuration"/> in the dual-write phase and in the 50 % read-shift phase.</summary>
    public bool Fault { get; init; }

    /// <summary>How long PostgreSQL stays down in each fault. <value>20 s</value>.</summary>
    public TimeSpan FaultDuration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long the checker waits before reading differing keys again (writes in flight settle). <value>2 s</value>.</summary>
    public TimeSpan RecheckDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait for the repair journal to drain before stepping forward. <value>5 min</value>.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Where the report, the snapshot and the journal go. <value>artifacts/walk</value>.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("artifacts", "walk");

    /// <summary>Sizes of every kind, from <see cref="Projects"/>.</summary>
    public DataSetSize Size => DataSetSize.For(Projects);

    /// <summary>Throws <see cref="ArgumentException"/> naming the option that is out of range.</summary>
    public void Validate()
    {
        Require(Projects is >= 100 and <= 10_000_000, "--projects must be between 100 and 10,000,000");
        Require(Rate is >= 1 and <= 100_000, "--rate must be between 1 and 100,000 requests per second");
        Require(PhaseDuration >= TimeSpan.FromSeconds(1) && PhaseDuration <= TimeSpan.FromHours(2), "--phase-seconds must be between 1 and 7,200");
        Require(FaultDuration >= TimeSpan.FromSeconds(1) && FaultDuration <= TimeSpan.FromMinutes(30), "--fault-seconds must be between 1 and 1,800");
        Require(RecheckDelay >= TimeSpan.Zero && RecheckDelay <= TimeSpan.FromMinutes(5), "the recheck delay must be between 0 and 300 seconds");
        Require(WarmUp >= TimeSpan.Zero && WarmUp <= TimeSpan.FromMinutes(10), "the warm-up must be between 0 and 600 seconds");
        Require(DrainTimeout > TimeSpan.Zero, "the drain timeout must be positive");
        Require(!string.IsNullOrWhiteSpace(OutputDirectory), "--output must name a folder");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}

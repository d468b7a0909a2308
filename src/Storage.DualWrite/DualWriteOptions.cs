namespace Storage.DualWrite;

/// <summary>Options of the dual-write decorators, the repair journal and the reconciler, validated when the host starts.</summary>
public sealed class DualWriteOptions
{
    /// <summary>The configuration section these options bind to: <value>Storage:DualWrite</value>.</summary>
    public const string SectionName = "Storage:DualWrite";

    /// <summary>The repair journal file. Required; keep it on a local disk that survives a restart.</summary>
    public string JournalPath { get; set; } = "";

    /// <summary>Force every journal append to the disk (fsync); <value>false</value> by default (handed to the operating system).</summary>
    public bool JournalFlushToDisk { get; set; }

    /// <summary>How long one write to the non-authoritative backend may take before it counts as failed; <value>500 ms</value> by default (more than 10 ms).</summary>
    public TimeSpan SecondaryTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Retries of a failed write to the non-authoritative backend; <value>1</value> by default (0..5).</summary>
    public int SecondaryRetries { get; set; } = 1;

    /// <summary>The pause before a retry; <value>10 ms</value> by default (0..1 s).</summary>
    public TimeSpan SecondaryRetryDelay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The share of failed calls in <see cref="BreakerSamplingDuration"/> that opens the breaker; <value>0.5</value> by default (above 0, at most 1).</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>The calls needed in <see cref="BreakerSamplingDuration"/> before the breaker may open; <value>10</value> by default (at least 2).</summary>
    public int BreakerMinimumThroughput { get; set; } = 10;

    /// <summary>The window over which failures are counted; <value>10 s</value> by default (more than 0.5 s).</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an open breaker rejects calls before it lets one through; <value>5 s</value> by default (more than 0.5 s).</summary>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The pause between two passes of the reconciler; <value>2 s</value> by default (more than 0).</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The most keys the reconciler repairs in one pass; <value>500</value> by default (at least 1).</summary>
    public int ReconcileBatchSize { get; set; } = 500;

    /// <summary>How many keys the reconciler repairs at once (each under its own key locks); <value>4</value> by default (1..64).</summary>
    public int ReconcileParallelism { get; set; } = 4;

    /// <summary>The share of keyed reads also made against the other backend and compared; <value>0</value> (off) by default (0..1).</summary>
    public double ShadowSampleRate { get; set; }

    /// <summary>How long a shadow read may take; <value>2 s</value> by default (more than 0).</summary>
    public TimeSpan ShadowTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many shadow comparisons may wait; more are dropped (and counted); <value>1,000</value> by default (at least 1).</summary>
    public int ShadowQueueCapacity { get; set; } = 1_000;
}

namespace Storage.Consistency;

/// <summary>Settings of <see cref="ConsistencyCheckService"/>, validated when the host starts.</summary>
public sealed class ConsistencyCheckServiceOptions
{
    /// <summary>The configuration section these settings are usually bound from: <value>Storage:ConsistencyCheck</value>.</summary>
    public const string SectionName = "Storage:ConsistencyCheck";

    /// <summary>Whether the job runs at all; <value>true</value> by default.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time from the start of one check to the start of the next: 1 second to 7 days; <value>1 hour</value> by default.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Time from the host's start to the first check: 0 to 1 day; <value>1 minute</value> by default.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Differing keys handed to the <see cref="IDriftSink"/> per call: 1..100,000; <value>1,000</value> by default.</summary>
    public int BatchSize { get; set; } = 1_000;

    /// <summary>
    /// How long after the first pass the differing keys are read again, so that writes in flight between the two
    /// backends are not reported as drift: zero (no recheck) up to less than <see cref="Interval"/>; <value>10 seconds</value> by default.
    /// </summary>
    public TimeSpan RecheckDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Differences held for the recheck per run: 1..1,000,000; <value>10,000</value> by default.</summary>
    public int RecheckLimit { get; set; } = 10_000;

    /// <summary>Keys kept per kind and category in <see cref="ConsistencyCheckService.LastReport"/> and the logs: 0..1,000; <value>20</value> by default.</summary>
    public int SampleSize { get; set; } = 20;
}

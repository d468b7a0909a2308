using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Storage.DualWrite;

/// <summary>
/// The metrics and traces of the dual-write decorators: a <see cref="Meter"/> and an <see cref="ActivitySource"/>
/// both named <see cref="Name"/>. Instrument and tag names are the constants below (the runbook lists them).
/// </summary>
/// <remarks>Thread safety: all members are safe for concurrent use. Recording allocates nothing.</remarks>
public sealed class DualWriteTelemetry : IDisposable
{
    /// <summary>The meter and activity source name: <value>Storage.DualWrite</value>.</summary>
    public const string Name = "Storage.DualWrite";

    /// <summary>Counter of writes, by <see cref="BackendTag"/> and <see cref="OutcomeTag"/> (success, failure, skipped, journaled).</summary>
    public const string Writes = "storage.dual_write.writes";

    /// <summary>Counter of reads, by <see cref="BackendTag"/>.</summary>
    public const string Reads = "storage.dual_write.reads";

    /// <summary>Histogram of call durations in milliseconds, by <see cref="BackendTag"/> and <see cref="OperationTag"/>.</summary>
    public const string Duration = "storage.dual_write.duration";

    /// <summary>Gauge of keys waiting in the repair journal.</summary>
    public const string JournalDepth = "storage.dual_write.journal.depth";

    /// <summary>Counter of keys added to the repair journal, by <see cref="KindTag"/>.</summary>
    public const string JournalAdded = "storage.dual_write.journal.added";

    /// <summary>Counter of repairs by the reconciler, by <see cref="OutcomeTag"/> (success, failure).</summary>
    public const string Repairs = "storage.dual_write.repairs";

    /// <summary>Gauge of the breaker guarding the non-authoritative backend: 0 closed, 1 half-open, 2 open, 3 isolated.</summary>
    public const string BreakerState = "storage.dual_write.breaker.state";

    /// <summary>Gauge of the migration phase in force (1..5).</summary>
    public const string Phase = "storage.dual_write.phase";

    /// <summary>Gauge of the read share of the target in force (0..100).</summary>
    public const string ReadPercent = "storage.dual_write.read_percent";

    /// <summary>Counter of shadow comparisons, by <see cref="OutcomeTag"/> (match, mismatch, dropped, failed).</summary>
    public const string ShadowComparisons = "storage.dual_write.shadow.comparisons";

    /// <summary>Counter of fields found different by shadow comparisons, by <see cref="KindTag"/> and <see cref="FieldTag"/>.</summary>
    public const string ShadowMismatches = "storage.dual_write.shadow.mismatches";

    /// <summary>Tag: <c>source</c> or <c>target</c>.</summary>
    public const string BackendTag = "backend";

    /// <summary>Tag: what happened.</summary>
    public const string OutcomeTag = "outcome";

    /// <summary>Tag: the store operation, for example <c>UpsertProject</c>.</summary>
    public const string OperationTag = "operation";

    /// <summary>Tag: the entity kind, for example <c>project</c>.</summary>
    public const string KindTag = "kind";

    /// <summary>Tag: a field name.</summary>
    public const string FieldTag = "field";

    private readonly Meter _meter;
    private readonly Counter<long> _writes;
    private readonly Counter<long> _reads;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _journalAdded;
    private readonly Counter<long> _repairs;
    private readonly Counter<long> _shadowComparisons;
    private readonly Counter<long> _shadowMismatches;

    /// <summary>Creates the instruments.</summary>
    /// <param name="meterFactory">Creates the meter (so a host's metrics pipeline sees it); a standalone meter when null.</param>
    /// <param name="journalDepth">Reads the journal depth for the gauge.</param>
    /// <param name="breakerState">Reads the breaker state (0..3) for the gauge.</param>
    /// <param name="flags">Reads the flags in force for the phase and read-share gauges.</param>
    public DualWriteTelemetry(IMeterFactory? meterFactory, Func<int> journalDepth, Func<int> breakerState, Func<MigrationFlags> flags)
    {
        ArgumentNullException.ThrowIfNull(journalDepth);
        ArgumentNullException.ThrowIfNull(breakerState);
        ArgumentNullException.ThrowIfNull(flags);
        _meter = meterFactory?.Create(Name) ?? new Meter(Name);
        _writes = _meter.CreateCounter<long>(Writes, "{write}", "Writes to each backend, by outcome.");
        _reads = _meter.CreateCounter<long>(Reads, "{read}", "Reads served by each backend.");
        _duration = _meter.CreateHistogram<double>(Duration, "ms", "Duration of calls to each backend, by operation.");
        _journalAdded = _meter.CreateCounter<long>(JournalAdded, "{key}", "Keys added to the repair journal.");
        _repairs = _meter.CreateCounter<long>(Repairs, "{key}", "Keys repaired (or not) by the reconciler.");
        _shadowComparisons = _meter.CreateCounter<long>(ShadowComparisons, "{comparison}", "Shadow reads compared, by outcome.");
        _shadowMismatches = _meter.CreateCounter<long>(ShadowMismatches, "{field}", "Fields that differed in shadow comparisons.");
        _meter.CreateObservableGauge(JournalDepth, journalDepth, "{key}", "Keys waiting for repair.");
        _meter.CreateObservableGauge(BreakerState, breakerState, null, "Breaker of the non-authoritative backend: 0 closed, 1 half-open, 2 open, 3 isolated.");
        _meter.CreateObservableGauge(Phase, () => (int)flags().Phase, null, "Migration phase in force.");
        _meter.CreateObservableGauge(ReadPercent, () => flags().ReadFromPostgresPercent, "%", "Share of reads served by the target.");
    }

    /// <summary>The activity source for traces of dual writes and repairs.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);

    /// <summary>The tag value of a backend.</summary>
    public static string BackendName(BackendRole role) => role == BackendRole.Source ? "source" : "target";

    internal void Write(BackendRole role, string outcome)
        => _writes.Add(1, new KeyValuePair<string, object?>(BackendTag, BackendName(role)), new KeyValuePair<string, object?>(OutcomeTag, outcome));

    internal void Read(BackendRole role) => _reads.Add(1, new KeyValuePair<string, object?>(BackendTag, BackendName(role)));

    /// <summary>A start time for <see cref="Elapsed"/>: 0, without reading the clock, when nobody listens to the histogram.</summary>
    internal long Start() => _duration.Enabled ? Stopwatch.GetTimestamp() : 0;

    internal void Elapsed(BackendRole role, string operation, long startTimestamp)
    {
        if (startTimestamp == 0 || !_duration.Enabled)
        {
            return;
        }

        _duration.Record(
            Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds,
            new KeyValuePair<string, object?>(BackendTag, BackendName(role)),
            new KeyValuePair<string, object?>(OperationTag, operation));
    }

    internal void JournalAdd(EntityKind kind) => _journalAdded.Add(1, new KeyValuePair<string, object?>(KindTag, RepairJournal.NameOf(kind)));

    internal void Repair(string outcome) => _repairs.Add(1, new KeyValuePair<string, object?>(OutcomeTag, outcome));

    internal void Shadow(string outcome) => _shadowComparisons.Add(1, new KeyValuePair<string, object?>(OutcomeTag, outcome));

    internal void ShadowField(string kind, string field)
        => _shadowMismatches.Add(1, new KeyValuePair<string, object?>(KindTag, kind), new KeyValuePair<string, object?>(FieldTag, field));

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();
}

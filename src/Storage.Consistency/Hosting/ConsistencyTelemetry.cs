using System.Diagnostics.Metrics;

namespace Storage.Consistency;

/// <summary>
/// The metrics of the scheduled consistency check: a <see cref="Meter"/> named <see cref="MeterName"/>. Instrument and
/// tag names are the constants below.
/// </summary>
/// <remarks>Thread safety: all members are safe for concurrent use.</remarks>
public sealed class ConsistencyTelemetry : IDisposable
{
    /// <summary>The meter name: <value>Storage.Consistency</value>.</summary>
    public const string MeterName = "Storage.Consistency";

    /// <summary>Counter of checks run, by <see cref="OutcomeTag"/>: <c>consistent</c>, <c>drift</c>, <c>failed</c>.</summary>
    public const string Runs = "storage.consistency.runs";

    /// <summary>Histogram of check durations, in seconds, by <see cref="OutcomeTag"/>.</summary>
    public const string RunDuration = "storage.consistency.run.duration";

    /// <summary>Counter of records compared, by <see cref="KindTag"/>.</summary>
    public const string RecordsCompared = "storage.consistency.records.compared";

    /// <summary>Counter of differences found (after the recheck), by <see cref="KindTag"/> and <see cref="CategoryTag"/>.</summary>
    public const string DriftFound = "storage.consistency.drift.found";

    /// <summary>
    /// Gauge of the last completed check's counts, by <see cref="KindTag"/> and <see cref="CategoryTag"/>
    /// (<c>missing_in_target</c>, <c>extra_in_target</c>, <c>different</c>, <c>changed_since_snapshot</c>).
    /// </summary>
    public const string Differences = "storage.consistency.differences";

    /// <summary>Gauge of when the last check completed, in seconds since the Unix epoch (UTC).</summary>
    public const string LastCompleted = "storage.consistency.last_completed";

    /// <summary>Tag: the record kind, for example <c>project</c>.</summary>
    public const string KindTag = "kind";

    /// <summary>Tag: the difference category.</summary>
    public const string CategoryTag = "category";

    /// <summary>Tag: how a check ended.</summary>
    public const string OutcomeTag = "outcome";

    private readonly Meter _meter;
    private readonly Counter<long> _runs;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _compared;
    private readonly Counter<long> _drift;
    private ConsistencyReport? _last;

    /// <summary>Creates the instruments.</summary>
    /// <param name="meterFactory">Creates the meter (so the host's metrics pipeline sees it); a standalone meter when null.</param>
    public ConsistencyTelemetry(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _runs = _meter.CreateCounter<long>(Runs, "{check}", "Consistency checks run, by outcome.");
        _duration = _meter.CreateHistogram<double>(RunDuration, "s", "How long a consistency check took.");
        _compared = _meter.CreateCounter<long>(RecordsCompared, "{record}", "Records compared by consistency checks.");
        _drift = _meter.CreateCounter<long>(DriftFound, "{record}", "Differences found by consistency checks.");
        _meter.CreateObservableGauge(Differences, ObserveDifferences, "{record}", "Differences found by the last consistency check.");
        _meter.CreateObservableGauge(LastCompleted, ObserveLastCompleted, "s", "When the last consistency check completed (Unix time).");
    }

    /// <summary>Records a completed check.</summary>
    public void RecordRun(ConsistencyReport report, TimeSpan duration)
        => Record(report, duration, report?.IsConsistent == true ? "consistent" : "drift");

    /// <summary>Records a check that ran to its end but failed to hand its differences on: its counts, and outcome <c>failed</c>.</summary>
    public void RecordFailedRun(ConsistencyReport report, TimeSpan duration) => Record(report, duration, "failed");

    private void Record(ConsistencyReport? report, TimeSpan duration, string outcomeName)
    {
        ArgumentNullException.ThrowIfNull(report);
        Volatile.Write(ref _last, report);
        var outcome = new KeyValuePair<string, object?>(OutcomeTag, outcomeName);
        _runs.Add(1, outcome);
        _duration.Record(duration.TotalSeconds, outcome);
        foreach (var kind in report.Kinds)
        {
            var tag = new KeyValuePair<string, object?>(KindTag, kind.Kind.Name());
            _compared.Add(kind.Compared, tag);
            foreach (var (category, count) in Categories(kind))
            {
                if (count > 0 && category != "changed_since_snapshot")
                {
                    _drift.Add(count, tag, new KeyValuePair<string, object?>(CategoryTag, category));
                }
            }
        }
    }

    /// <summary>Records a check that failed.</summary>
    public void RecordFailure(TimeSpan duration)
    {
        var outcome = new KeyValuePair<string, object?>(OutcomeTag, "failed");
        _runs.Add(1, outcome);
        _duration.Record(duration.TotalSeconds, outcome);
    }

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();

    private static IEnumerable<(string Category, long Count)> Categories(KindReport kind)
    {
        yield return ("missing_in_target", kind.MissingInTarget);
        yield return ("extra_in_target", kind.ExtraInTarget);
        yield return ("different", kind.Different);
        yield return ("changed_since_snapshot", kind.ChangedSinceSnapshot);
    }

    private IEnumerable<Measurement<long>> ObserveDifferences()
    {
        if (Volatile.Read(ref _last) is not { } last)
        {
            yield break;
        }

        foreach (var kind in last.Kinds)
        {
            foreach (var (category, count) in Categories(kind))
            {
                yield return new Measurement<long>(
                    count,
                    new KeyValuePair<string, object?>(KindTag, kind.Kind.Name()),
                    new KeyValuePair<string, object?>(CategoryTag, category));
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveLastCompleted()
    {
        if (Volatile.Read(ref _last) is { } last)
        {
            yield return new Measurement<double>(last.CompletedAt.ToUnixTimeMilliseconds() / 1000.0);
        }
    }
}

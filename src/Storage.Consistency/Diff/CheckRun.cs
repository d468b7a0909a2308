namespace Storage.Consistency;

/// <summary>
/// The state of one check: both sides, the tallies, what goes to the sink and what waits for the recheck. The merge
/// calls it from one thread at a time.
/// </summary>
internal sealed partial class CheckRun
{
    private readonly ConsistencyCheckOptions _options;
    private readonly IDriftSink? _sink;
    private readonly TimeProvider _timeProvider;
    private readonly bool _sourceLive;
    private readonly bool _targetLive;
    private readonly Dictionary<RecordKind, KindTally> _tallies = [];
    private readonly List<Drift> _pending = [];
    private List<Drift> _batch = [];
    private CancellationToken _cancellationToken;

    public CheckRun(IConsistencySource source, IConsistencySource target, ConsistencyCheckOptions options, IDriftSink? sink, TimeProvider timeProvider)
    {
        Source = source;
        Target = target;
        _options = options;
        _sink = sink;
        _timeProvider = timeProvider;
        _sourceLive = source.TakenAt is null;
        _targetLive = target.TakenAt is null;
        StartedAt = StorageTime.Now(timeProvider);
        ChangedAfter = options.ChangedAfter ?? (source.TakenAt, target.TakenAt) switch
        {
            ({ } taken, null) => taken,
            (null, { } taken) => taken,
            (null, null) => StartedAt,
            _ => null,
        };
        foreach (var spec in KindSpec.All)
        {
            _tallies[spec.Kind] = new KindTally(spec, options.SampleSize);
        }
    }

    public IConsistencySource Source { get; }

    public IConsistencySource Target { get; }

    public ConsistencyProgress? Progress => _options.Progress;

    public DateTimeOffset StartedAt { get; }

    public DateTimeOffset? ChangedAfter { get; }

    private bool Rechecking => _options.RecheckDelay is not null;

    public async Task<ConsistencyReport> RunAsync(CancellationToken cancellationToken)
    {
        _cancellationToken = cancellationToken;
        Progress?.Enter(ConsistencyPhase.Comparing);
        foreach (var spec in KindSpec.All)
        {
            Progress?.Enter(spec.Kind);
            await spec.MergeAsync(this, _tallies[spec.Kind], cancellationToken);
            if (!Rechecking)
            {
                await FlushAsync(cancellationToken);
                if (_sink is not null)
                {
                    await _sink.OnKindCompletedAsync(spec.Kind, cancellationToken);
                }
            }

            await ReleaseHeldAsync(spec.Kind, cancellationToken);
        }

        RecheckReport? recheck = null;
        if (_options.RecheckDelay is { } delay)
        {
            recheck = await RecheckAsync(delay, cancellationToken);
        }

        Progress?.Enter(ConsistencyPhase.Completed);
        return new ConsistencyReport
        {
            Source = Source.Description,
            Target = Target.Description,
            StartedAt = StartedAt,
            CompletedAt = StorageTime.Now(_timeProvider),
            ChangedAfter = ChangedAfter,
            Kinds = [.. KindSpec.All.Select(s => _tallies[s.Kind].ToReport())],
            Recheck = recheck,
        };
    }

    public ValueTask OnMissingAsync(KindSpec spec, KindTally tally, object source)
    {
        var changed = _sourceLive && IsAfterChangedAfter(spec.TimeOf(source));
        NoteInput(spec, source, null, changed);
        if (changed)
        {
            tally.CountChanged(spec.KeyOf(source));
            return ValueTask.CompletedTask;
        }

        return OnDriftAsync(tally, new Drift(spec.KeyOf(source), DriftCategory.MissingInTarget, [], source, null));
    }

    public ValueTask OnExtraAsync(KindSpec spec, KindTally tally, object target)
    {
        var changed = _targetLive && IsAfterChangedAfter(spec.TimeOf(target));
        NoteInput(spec, null, target, changed);
        if (changed)
        {
            tally.CountChanged(spec.KeyOf(target));
            return ValueTask.CompletedTask;
        }

        return OnDriftAsync(tally, new Drift(spec.KeyOf(target), DriftCategory.ExtraInTarget, [], null, target));
    }

    public ValueTask OnDifferentAsync(KindSpec spec, KindTally tally, object source, object target, List<string> fields)
    {
        var changed = IsChanged(spec, source, target);
        NoteInput(spec, source, target, changed);
        if (changed)
        {
            tally.CountChanged(spec.KeyOf(source));
            return ValueTask.CompletedTask;
        }

        var drift = new Drift(spec.KeyOf(source), DriftCategory.Different, fields, source, target);
        return TryHold(spec, tally, drift) ? ValueTask.CompletedTask : OnDriftAsync(tally, drift);
    }

    /// <summary>True when a live side's record is stamped after <see cref="ChangedAfter"/>.</summary>
    private bool IsChanged(KindSpec spec, object? source, object? target)
        => (_sourceLive && source is not null && IsAfterChangedAfter(spec.TimeOf(source)))
            || (_targetLive && target is not null && IsAfterChangedAfter(spec.TimeOf(target)));

    private bool IsAfterChangedAfter(DateTimeOffset? time) => time is { } t && ChangedAfter is { } after && t > after;

    private ValueTask OnDriftAsync(KindTally tally, Drift drift)
    {
        tally.Count(drift);
        if (Rechecking)
        {
            if (_pending.Count < _options.RecheckLimit)
            {
                _pending.Add(drift);
            }
            else
            {
                tally.NotRechecked++;
            }

            return ValueTask.CompletedTask;
        }

        if (_sink is null)
        {
            return ValueTask.CompletedTask;
        }

        _batch.Add(drift);
        return _batch.Count >= _options.SinkBatchSize ? FlushAsync(_cancellationToken) : ValueTask.CompletedTask;
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_sink is null || _batch.Count == 0)
        {
            return;
        }

        var batch = _batch;
        _batch = [];
        await _sink.OnDriftAsync(batch, cancellationToken);
    }
}

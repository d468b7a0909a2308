namespace Storage.Consistency;

internal sealed partial class CheckRun
{
    private const int RecheckParallelism = 4;

    /// <summary>
    /// Waits, then reads every held difference again on both sides (a snapshot side keeps its first value: it does not
    /// change). A key is resolved when the two sides now agree; changed when a live side's record moved between the two
    /// reads or is stamped after <see cref="ChangedAfter"/>; otherwise it still differs. Only those go to the sink.
    /// </summary>
    private async Task<RecheckReport> RecheckAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        Progress?.Enter(ConsistencyPhase.Waiting);
        if (delay > TimeSpan.Zero && _pending.Count > 0)
        {
            await Task.Delay(delay, _timeProvider, cancellationToken);
        }

        Progress?.Enter(ConsistencyPhase.Rechecking);
        var outcomes = new Drift?[_pending.Count];
        var changed = new bool[_pending.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, _pending.Count),
            new ParallelOptions { MaxDegreeOfParallelism = RecheckParallelism, CancellationToken = cancellationToken },
            async (i, ct) => (outcomes[i], changed[i]) = await RecheckOneAsync(_pending[i], ct));

        var keys = _pending.Select(d => d.Key).ToHashSet();
        foreach (var tally in _tallies.Values)
        {
            tally.BeginRecheck(keys);
        }

        long resolved = 0, movedOrStamped = 0;
        var confirmed = new List<Drift>();
        for (var i = 0; i < _pending.Count; i++)
        {
            var tally = _tallies[_pending[i].Kind];
            tally.Uncount(_pending[i]);
            if (changed[i])
            {
                tally.CountChanged(_pending[i].Key);
                movedOrStamped++;
            }
            else if (outcomes[i] is { } still)
            {
                tally.Count(still);
                confirmed.Add(still);
            }
            else
            {
                tally.Equal++;
                resolved++;
            }
        }

        foreach (var tally in _tallies.Values)
        {
            tally.EndRecheck();
        }

        await HandOverAsync(confirmed, cancellationToken);
        var notRechecked = _tallies.Values.Sum(t => t.NotRechecked);
        return new RecheckReport(delay, _pending.Count, resolved, movedOrStamped, confirmed.Count, notRechecked);
    }

    /// <summary>The difference as it stands now (null when resolved), and whether it counts as changed instead.</summary>
    private async Task<(Drift? Still, bool Changed)> RecheckOneAsync(Drift first, CancellationToken cancellationToken)
    {
        var spec = KindSpec.Of(first.Kind);
        var source = Source.CanLookUp ? await Source.LookUpAsync(first.Key, cancellationToken) : first.Source;
        var target = Target.CanLookUp ? await Target.LookUpAsync(first.Key, cancellationToken) : first.Target;
        List<string>? fields = null;
        if (source is null && target is null)
        {
            return (null, false);
        }

        if (source is not null && target is not null && (fields = spec.Differences(source, target)) is null)
        {
            return (null, false);
        }

        var moved = (Source.CanLookUp && !Same(spec, first.Source, source)) || (Target.CanLookUp && !Same(spec, first.Target, target));
        if (moved || IsChanged(spec, source, target))
        {
            return (null, true);
        }

        var category = source is null ? DriftCategory.ExtraInTarget : target is null ? DriftCategory.MissingInTarget : DriftCategory.Different;
        // Still unexplained only while the derived fields alone differ (the held inputs are not read again).
        IReadOnlyList<string> now = (IReadOnlyList<string>?)fields ?? [];
        var unexplained = first.UnexplainedDerived && category == DriftCategory.Different && RecordFields.OnlyDerived(first.Kind, now);
        return (first with { Category = category, Fields = now, Source = source, Target = target, UnexplainedDerived = unexplained }, false);
    }

    private static bool Same(KindSpec spec, object? before, object? now)
        => before is null ? now is null : now is not null && spec.Differences(before, now) is null;

    /// <summary>Hands the confirmed differences to the sink, kind by kind in order, each in key order, in batches.</summary>
    private async Task HandOverAsync(List<Drift> confirmed, CancellationToken cancellationToken)
    {
        if (_sink is null)
        {
            return;
        }

        foreach (var spec in KindSpec.All)
        {
            foreach (var drift in confirmed.Where(d => d.Kind == spec.Kind).OrderBy(d => d.Key, Comparer<RecordKey>.Create(spec.CompareKeys)))
            {
                _batch.Add(drift);
                if (_batch.Count >= _options.SinkBatchSize)
                {
                    await FlushAsync(cancellationToken);
                }
            }

            await FlushAsync(cancellationToken);
            await _sink.OnKindCompletedAsync(spec.Kind, cancellationToken);
        }
    }
}

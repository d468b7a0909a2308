namespace Storage.Consistency;

/// <summary>
/// The bulk-load half of the repair: every kind whose target table is empty goes into one
/// <see cref="IBulkLoadSession"/>, committed after the run has read the whole source, or before the first batch or
/// delete written beside it (batches go through other connections, and the session holds the tables it took, and the
/// tables they reference, locked until it commits).
/// </summary>
internal sealed partial class RepairSink
{
    private readonly IBulkLoader? _loader = options.BulkLoad && !options.DryRun ? target.BulkLoader : null;
    private IBulkLoadSession? _session;
    private bool _sessionHolds;
    private RecordKind? _bulkTried;
    private IBulkLoad? _bulk;
    private readonly HashSet<RecordKind> _bulkCommitted = [];

    /// <summary>
    /// The bulk load of <paramref name="kind"/>: begun at its first batch when its table can be taken; null otherwise.
    /// A session that has taken no table is closed again at once, so the batches that follow need not wait to commit it.
    /// </summary>
    private async Task<IBulkLoad?> TryBulkAsync(RecordKind kind, CancellationToken cancellationToken)
    {
        if (_loader is not null && _bulkTried != kind)
        {
            _bulkTried = kind;
            _session ??= await _loader.BeginAsync(cancellationToken);
            _bulk = await _session.TryBeginAsync(kind, cancellationToken);
            _tallies[kind].BulkLoaded = _bulk is not null;
            _sessionHolds |= _bulk is not null;
            if (!_sessionHolds)
            {
                await RollBackBulkAsync();
            }
        }

        return _bulk;
    }

    private async Task<Outcome> WriteBulkAsync(IBulkLoad bulk, RecordKind kind, List<object> records, List<RecordKey> keys, CancellationToken cancellationToken)
    {
        await bulk.WriteAsync(records, cancellationToken);
        progress?.AddWritten(records.Count);
        var outcome = new Outcome(kind);
        outcome.Written.AddRange(keys);
        return outcome;
    }

    /// <summary>Ends the kind's bulk load, if it has one: its constraints added, what it left out counted as failed.</summary>
    private async Task BuildBulkAsync(RecordKind kind, CancellationToken cancellationToken)
    {
        if (_bulk is not { } bulk)
        {
            return;
        }

        _bulk = null;
        progress?.Enter(ConsistencyPhase.BuildingIndexes);
        var rejected = await bulk.BuildAsync(cancellationToken);
        Reject(kind, rejected);
        var tally = _tallies[kind];
        if (tally.WrittenSample.Count < Math.Min(options.SampleSize, tally.Written))
        {
            // Refused records were among the first written: the sample is the first records the load kept.
            var kept = await bulk.ReadFirstAsync(options.SampleSize, cancellationToken);
            tally.WrittenSample.Clear();
            tally.WrittenSample.AddRange(kept.Select(KindSpec.Of(kind).KeyOf));
        }

        progress?.Enter(ConsistencyPhase.Comparing);
    }

    /// <summary>
    /// Commits the bulk-loaded kinds, if any, before a batch or a delete is written on another connection, which could
    /// otherwise wait for the session's locks while the session waits for it; the source is known whole first. Without a
    /// session this waits for nothing: a batch waits for the source in its own write, while the check reads on.
    /// </summary>
    private async Task CommitBulkBeforeBatchesAsync(CancellationToken cancellationToken)
    {
        if (_session is null)
        {
            return;
        }

        await ReadyAsync();
        await CommitBulkAsync(cancellationToken);
    }

    private async Task CommitBulkAsync(CancellationToken cancellationToken)
    {
        if (_session is { } session)
        {
            _session = null;
            _sessionHolds = false;
            await using (session)
            {
                await session.CommitAsync(cancellationToken);
            }

            _bulkCommitted.UnionWith(RecordKinds.All.Where(k => _tallies[k].BulkLoaded));
            var phase = progress?.Phase;
            progress?.Enter(ConsistencyPhase.FinishingLoad);
            FinishingLoad = true;
            try
            {
                await session.FinishAsync(cancellationToken);
                FinishingLoad = false;
            }
            finally
            {
                if (phase is { } before)
                {
                    progress?.Enter(before);
                }
            }
        }
    }

    private async Task RollBackBulkAsync()
    {
        _bulk = null;
        if (_session is { } session)
        {
            _session = null;
            _sessionHolds = false;
            await session.DisposeAsync();
        }
    }

    /// <summary>
    /// Takes back what a bulk load counted as written but left out, and counts it as failed, in key order (as batches
    /// would have found them); the progress's written count is corrected.
    /// </summary>
    private void Reject(RecordKind kind, IReadOnlyList<(object Record, string Reason)> rejected)
    {
        var tally = _tallies[kind];
        var spec = KindSpec.Of(kind);
        foreach (var (record, reason) in rejected.OrderBy(r => r.Record, Comparer<object>.Create(spec.Compare)))
        {
            var key = spec.KeyOf(record);
            tally.Written--;
            tally.WrittenSample.Remove(key);
            tally.Fail(key, reason, options.SampleSize);
        }

        progress?.AddWritten(-rejected.Count);
    }
}

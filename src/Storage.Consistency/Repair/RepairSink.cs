using System.Runtime.ExceptionServices;

namespace Storage.Consistency;

/// <summary>
/// The sink that repairs: missing and different records are imported into the target in batches (kinds arrive in
/// dependency order, and each kind's last batch is written before the next kind starts); extras are deleted when asked
/// and possible. A batch the target refuses is retried record by record, so one bad record does not stop the rest.
/// One batch is written while the check reads on (the database inserting while the client parses): a batch waits for
/// the one before it, so batches are still written one after another, in key order. A kind whose target table is empty
/// is bulk-loaded instead, when the target has a <see cref="LiveStoreSource.BulkLoader"/> and
/// <see cref="RepairOptions.BulkLoad"/> is on (RepairSink.Bulk.cs).
/// </summary>
/// <param name="target">The stores to repair.</param>
/// <param name="options">How to write.</param>
/// <param name="progress">Counts what is written; none when null.</param>
/// <param name="validate">
/// Starts reading the source through, to know it whole before a batch is committed (a snapshot); its failure fails
/// the repair. Started at the first batch or delete, if any: bulk loads commit only after the run has read the whole
/// source. Null when there is nothing to wait for.
/// </param>
internal sealed partial class RepairSink(LiveStoreSource target, RepairOptions options, ConsistencyProgress? progress, Func<Task>? validate = null) : IDriftSink
{
    private readonly Dictionary<RecordKind, Tally> _tallies = RecordKinds.All.ToDictionary(k => k, _ => new Tally());
    private readonly List<Drift> _writes = [];
    private readonly Lazy<Task>? _validation = validate is null ? null : new(validate);
    private Task<Outcome>? _inflight;

    public async ValueTask OnDriftAsync(IReadOnlyList<Drift> drifts, CancellationToken cancellationToken)
    {
        foreach (var drift in drifts)
        {
            var tally = _tallies[drift.Kind];
            if (drift.Category == DriftCategory.ExtraInTarget)
            {
                await DeleteAsync(drift, tally, cancellationToken);
            }
            else if (drift.Category == DriftCategory.Different && RecordFields.OnlyDerived(drift.Kind, drift.Fields))
            {
                if (drift.UnexplainedDerived)
                {
                    tally.DerivedUnexplained++;
                }
                else
                {
                    tally.DerivedOnly++;
                }
            }
            else
            {
                _writes.Add(drift);
                if (_writes.Count >= options.BatchSize)
                {
                    await WriteAsync(cancellationToken);
                }
            }
        }
    }

    public async ValueTask OnKindCompletedAsync(RecordKind kind, CancellationToken cancellationToken)
    {
        await WriteAsync(cancellationToken);
        await CompleteWriteAsync();
        await BuildBulkAsync(kind, cancellationToken);
    }

    /// <summary>
    /// Ends the repair once the run has read every kind of the source: waits for the source's validation, if it was
    /// started, and commits the bulk-loaded kinds, if any.
    /// </summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_validation is { IsValueCreated: true } validation)
        {
            await validation.Value;
        }

        await CommitBulkAsync(cancellationToken);
    }

    /// <summary>
    /// Waits for the batch being written, if any, ignoring its failure, and rolls back a bulk load under way (for a run
    /// that has already failed).
    /// </summary>
    public async Task DrainAsync()
    {
        try
        {
            await CompleteWriteAsync();
        }
        catch (Exception)
        {
            // The run is already failing with its own exception; this batch was written whole or not at all.
        }

        await RollBackBulkAsync();
        if (_validation is { IsValueCreated: true } validation)
        {
            try
            {
                await validation.Value;
            }
            catch (Exception)
            {
                // Reported already, or irrelevant to the run's own failure.
            }
        }
    }

    /// <summary>
    /// Whether a committed bulk load's remaining work (<see cref="IBulkLoadSession.FinishAsync"/>) started and did not end
    /// (it failed, or was cancelled).
    /// </summary>
    public bool FinishingLoad { get; private set; }

    /// <summary>
    /// Records written or deleted and committed so far: batches and deletes, and the kinds of a bulk load once it has
    /// committed (a bulk load rolled back commits nothing). Zero in a dry run.
    /// </summary>
    public long Committed => options.DryRun ? 0 : RecordKinds.All.Sum(k =>
    {
        var tally = _tallies[k];
        return tally.Deleted + (tally.BulkLoaded && !_bulkCommitted.Contains(k) ? 0 : tally.Written);
    });

    public RepairReport ToReport() => new()
    {
        DryRun = options.DryRun,
        DeleteExtras = options.DeleteExtras,
        Kinds = [.. RecordKinds.All.Select(k => _tallies[k].ToReport(k))],
    };

    private async Task DeleteAsync(Drift drift, Tally tally, CancellationToken cancellationToken)
    {
        if (!options.DeleteExtras)
        {
            tally.ExtrasKept++;
            return;
        }

        if (drift.Kind is not (RecordKind.Project or RecordKind.Dependency))
        {
            tally.ExtrasNotDeletable++;
            return;
        }

        if (!options.DryRun)
        {
            // A delete is written here, on the check's thread: it waits for the source to be known whole itself. An
            // extra can turn up in a table being bulk-loaded (emptied after the check read it, by a cascade or a
            // writer): that load is ended first, with what it holds, and the rest of its kind goes in batches.
            await ReadyAsync();
            if (_bulk is not null)
            {
                await WriteAsync(cancellationToken);
                await CompleteWriteAsync();
                await BuildBulkAsync(drift.Kind, cancellationToken);
            }

            await CommitBulkBeforeBatchesAsync(cancellationToken);
            try
            {
                _ = drift.Kind == RecordKind.Project
                    ? await target.Graph.DeleteProjectAsync(drift.Key.ProjectKey, cancellationToken)
                    : await target.Graph.RemoveDependencyAsync(drift.Key.Edge.From, drift.Key.Edge.To, cancellationToken);
            }
            catch (StorageException ex)
            {
                tally.Fail(drift.Key, ex.Message, options.SampleSize);
                return;
            }

            progress?.AddWritten(1);
        }

        tally.Deleted++;
        Sample(tally.DeletedSample, drift.Key, options.SampleSize);
    }

    /// <summary>Starts writing the batch gathered so far, once the batch before it is written.</summary>
    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        if (_writes.Count == 0)
        {
            return;
        }

        var kind = _writes[0].Kind;
        var records = _writes.Select(d => d.Source!).ToList();
        var keys = _writes.Select(d => d.Key).ToList();
        _writes.Clear();
        await CompleteWriteAsync();
        if (await TryBulkAsync(kind, cancellationToken) is { } bulk)
        {
            _inflight = WriteBulkAsync(bulk, kind, records, keys, cancellationToken);
            return;
        }

        await CommitBulkBeforeBatchesAsync(cancellationToken);
        _inflight = WriteBatchAsync(kind, records, keys, cancellationToken);
    }

    /// <summary>Waits until the source is known to be whole, before anything is committed.</summary>
    private Task ReadyAsync() => _validation?.Value ?? Task.CompletedTask;

    /// <summary>Waits for the batch being written and counts what it wrote (on the check's thread: the tallies are not shared).</summary>
    private async Task CompleteWriteAsync()
    {
        if (_inflight is not { } inflight)
        {
            return;
        }

        _inflight = null;
        var outcome = await inflight;
        var tally = _tallies[outcome.Kind];
        tally.Written += outcome.Written.Count;
        outcome.Written.ForEach(k => Sample(tally.WrittenSample, k, options.SampleSize));
        outcome.Failed.ForEach(f => tally.Fail(f.Key, f.Message, options.SampleSize));
        outcome.Failure?.Throw();
    }

    private async Task<Outcome> WriteBatchAsync(RecordKind kind, List<object> records, List<RecordKey> keys, CancellationToken cancellationToken)
    {
        var outcome = new Outcome(kind);
        if (!options.DryRun)
        {
            await ReadyAsync();
            try
            {
                await ImportAsync(kind, records, cancellationToken);
            }
            catch (StorageException)
            {
                // The batch was refused whole; write its records one by one to keep the good ones and name the bad.
                await WriteOneByOneAsync(kind, records, keys, outcome, cancellationToken);
                return outcome;
            }

            progress?.AddWritten(records.Count);
        }

        outcome.Written.AddRange(keys);
        return outcome;
    }

    private async Task WriteOneByOneAsync(RecordKind kind, List<object> records, List<RecordKey> keys, Outcome outcome, CancellationToken cancellationToken)
    {
        for (var i = 0; i < records.Count; i++)
        {
            try
            {
                await ImportAsync(kind, [records[i]], cancellationToken);
            }
            catch (StorageException ex)
            {
                outcome.Failed.Add((keys[i], ex.Message));
                continue;
            }
            catch (Exception ex)
            {
                // The records before this one are committed: they are counted before the failure goes on.
                outcome.Failure = ExceptionDispatchInfo.Capture(ex);
                return;
            }

            progress?.AddWritten(1);
            outcome.Written.Add(keys[i]);
        }
    }

    private Task<int> ImportAsync(RecordKind kind, List<object> records, CancellationToken cancellationToken) => kind switch
    {
        RecordKind.Project => target.Graph.ImportProjectsAsync(Cast<Project>(records), cancellationToken),
        RecordKind.Dependency => target.Graph.ImportDependenciesAsync(Cast<DependencyEdge>(records), cancellationToken),
        RecordKind.Contributor => target.Graph.ImportContributorsAsync(Cast<Contributor>(records), cancellationToken),
        RecordKind.Asset => target.Graph.ImportAssetsAsync(Cast<Asset>(records), cancellationToken),
        RecordKind.Contribution => target.Graph.ImportContributionsAsync(Cast<Contribution>(records), cancellationToken),
        _ => target.Tasks.ImportTasksAsync(Cast<AgentTask>(records), cancellationToken),
    };

    private static T[] Cast<T>(List<object> records)
    {
        var typed = new T[records.Count];
        for (var i = 0; i < typed.Length; i++)
        {
            typed[i] = (T)records[i];
        }

        return typed;
    }

    private static void Sample(List<RecordKey> sample, RecordKey key, int size)
    {
        if (sample.Count < size)
        {
            sample.Add(key);
        }
    }

    /// <summary>What one batch wrote and which records the target refused, in batch order.</summary>
    private sealed record Outcome(RecordKind Kind)
    {
        public List<RecordKey> Written { get; } = [];

        public List<(RecordKey Key, string Message)> Failed { get; } = [];

        /// <summary>What stopped a record-by-record write part-way, thrown once what it wrote is counted.</summary>
        public ExceptionDispatchInfo? Failure { get; set; }
    }

    private sealed class Tally
    {
        public long Written { get; set; }

        public long Deleted { get; set; }

        public long ExtrasKept { get; set; }

        public long ExtrasNotDeletable { get; set; }

        public long DerivedOnly { get; set; }

        public long DerivedUnexplained { get; set; }

        public bool BulkLoaded { get; set; }

        public long Failed { get; private set; }

        public string? FirstFailure { get; private set; }

        public List<RecordKey> WrittenSample { get; } = [];

        public List<RecordKey> DeletedSample { get; } = [];

        public List<RecordKey> FailedSample { get; } = [];

        public void Fail(RecordKey key, string message, int sampleSize)
        {
            Failed++;
            FirstFailure ??= $"{key.Kind.Name()} {key}: {message}";
            if (FailedSample.Count < sampleSize)
            {
                FailedSample.Add(key);
            }
        }

        public KindRepairReport ToReport(RecordKind kind) => new()
        {
            Kind = kind,
            Written = Written,
            Deleted = Deleted,
            ExtrasKept = ExtrasKept,
            ExtrasNotDeletable = ExtrasNotDeletable,
            DerivedOnly = DerivedOnly,
            DerivedUnexplained = DerivedUnexplained,
            BulkLoaded = BulkLoaded,
            Failed = Failed,
            FirstFailure = FirstFailure,
            WrittenSample = [.. WrittenSample],
            DeletedSample = [.. DeletedSample],
            FailedSample = [.. FailedSample],
        };
    }
}

namespace Storage.Consistency;

/// <summary>
/// The diff engine: walks every kind in key order on both sides and merges them, streaming (memory does not grow
/// with the data), and reports per kind the records compared, missing in the target, extra in the target and
/// different (with the differing fields). Every differing record can be handed to an <see cref="IDriftSink"/>;
/// <see cref="RepairAsync"/> uses that to copy the source's records to the target.
/// </summary>
/// <remarks>Thread safety: the engine holds no state; run as many checks at once as you like, on different sides.</remarks>
public sealed class ConsistencyEngine
{
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the engine.</summary>
    /// <param name="timeProvider">The clock for report times, the recheck delay and the start of a live-to-live check;
    /// <see cref="TimeProvider.System"/> when null.</param>
    public ConsistencyEngine(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>Compares <paramref name="target"/> with <paramref name="source"/>.</summary>
    /// <param name="source">The side holding the records as they should be.</param>
    /// <param name="target">The side checked against it.</param>
    /// <param name="options">Samples, recheck and progress; the defaults when null.</param>
    /// <param name="sink">Receives every difference (after the recheck, when there is one); none when null.</param>
    /// <param name="cancellationToken">Stops the check.</param>
    /// <returns>Exact counts per kind and a sample of keys.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="Storage.InMemory.SnapshotFormatException">A snapshot side is not a valid snapshot.</exception>
    /// <exception cref="InvalidOperationException">A side's stream is not in key order.</exception>
    public Task<ConsistencyReport> CheckAsync(
        IConsistencySource source,
        IConsistencySource target,
        ConsistencyCheckOptions? options = null,
        IDriftSink? sink = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        options ??= new ConsistencyCheckOptions();
        options.Validate();
        return new CheckRun(source, target, options, sink, _timeProvider).RunAsync(cancellationToken);
    }

    /// <summary>
    /// Checks, and copies every record missing in or different from the target from the source, in batches with
    /// <c>Import*Async</c>, in dependency order (projects before edges, contributors and assets before contributions);
    /// with <see cref="RepairOptions.DeleteExtras"/>, deletes extra projects and edges. Running it again changes
    /// nothing. A backfill of an empty target is the same call (a target with a <see cref="LiveStoreSource.BulkLoader"/>
    /// loads its empty tables in one piece, all committed at the end). Nothing is committed before a snapshot source
    /// is known whole, so a bad file writes nothing.
    /// </summary>
    /// <param name="source">The side holding the records as they should be.</param>
    /// <param name="target">The stores to repair.</param>
    /// <param name="repair">Batch size, deletes and dry run; the defaults when null.</param>
    /// <param name="options">Samples, recheck and progress; the defaults when null (the sink batch size is the repair's).</param>
    /// <param name="cancellationToken">Stops the repair between two batches; every batch is written whole or not at all.</param>
    /// <returns>What the check found, and what the repair did (or, in a dry run, would do).</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="Storage.InMemory.SnapshotFormatException">A snapshot source is not a valid snapshot (nothing was written).</exception>
    /// <exception cref="RepairStoppedException">
    /// The repair failed after committing part of its writes (a snapshot file changed after it was checked, the target
    /// failed part-way); the inner exception says why. Not thrown for a cancellation.
    /// </exception>
    /// <exception cref="OperationCanceledException">
    /// <paramref name="cancellationToken"/> was cancelled; a <see cref="RepairCancelledException"/> when part of the repair
    /// was committed first.
    /// </exception>
    public async Task<RepairResult> RepairAsync(
        IConsistencySource source,
        LiveStoreSource target,
        RepairOptions? repair = null,
        ConsistencyCheckOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        repair ??= new RepairOptions();
        repair.Validate();
        options = (options ?? new ConsistencyCheckOptions()) with { SinkBatchSize = repair.BatchSize };
        options.Validate();

        // A snapshot source is known whole only once read through: the run reads it all before the bulk loads commit,
        // and before the first batch is committed a second reader (on another thread) reads it through, so a bad file
        // writes nothing.
        using var stopValidation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Func<Task>? validate = !repair.DryRun && source is SnapshotFileSource snapshot
            ? () => Task.Run(() => snapshot.ValidateAsync(stopValidation.Token), CancellationToken.None)
            : null;
        var sink = new RepairSink(target, repair, options.Progress, validate);
        ConsistencyReport report;
        try
        {
            report = await new CheckRun(source, target, options, sink, _timeProvider).RunAsync(cancellationToken);
            await sink.CompleteAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            // A batch may still be being written: let it finish (or roll back), and roll back the bulk loads, before the
            // failure is reported, with what was committed before it (a cancellation is reported as itself).
            await stopValidation.CancelAsync();
            await sink.DrainAsync();
            var cancelled = ex is OperationCanceledException && cancellationToken.IsCancellationRequested;
            if (sink.Committed > 0)
            {
                throw cancelled
                    ? new RepairCancelledException(sink.Committed, sink.FinishingLoad, ex, cancellationToken)
                    : new RepairStoppedException(sink.Committed, ex) { FinishingLoad = sink.FinishingLoad };
            }

            throw;
        }

        return new RepairResult(report, sink.ToReport());
    }
}

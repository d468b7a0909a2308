namespace Storage.Consistency;

/// <summary>
/// Receives every record a check finds different (after the recheck, when there is one): the repair writes them to the
/// target, the dual-write repair journal records their keys. Kinds arrive in <see cref="RecordKinds.All"/> order
/// (dependency order), records of a kind in key order, in batches; after the last batch of a kind,
/// <see cref="OnKindCompletedAsync"/> is called, even when the kind had no difference.
/// One exception, in a check without a recheck: an asset that differs in its derived <c>total_cost</c> alone waits for
/// the contributions (changed ones may explain it), so it comes after the contributions' <see cref="OnKindCompletedAsync"/>,
/// in batches of its own, in key order. Nothing needs writing for it: the contributions' repair fixes the total.
/// </summary>
/// <remarks>Calls are sequential: an implementation is never called again before the previous call's task completes.
/// An exception from a call stops the check and is thrown to its caller.</remarks>
public interface IDriftSink
{
    /// <summary>Handles one batch of differing records, all of one kind, in key order.</summary>
    ValueTask OnDriftAsync(IReadOnlyList<Drift> drifts, CancellationToken cancellationToken);

    /// <summary>Every difference of <paramref name="kind"/> has been handed over. Does nothing by default.</summary>
    ValueTask OnKindCompletedAsync(RecordKind kind, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

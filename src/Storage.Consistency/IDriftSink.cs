namespace Storage.Consistency;

/// <summary>
/// Receives every record a check finds different (after the recheck, when there is one): the repair writes them to the
/// target, the dual-write repair journal records their keys. Kinds arrive in <see cref="RecordKinds.All"/> order
/// (dependency order), records of a kind in key order, in batches; after the last batch of a kind,
/// <see cref="OnKindCompletedAsync"/> is called, even when the kind had no difference.
/// One exception, in a check without a recheck: a record that differs in a derived field alone waits for the records it
/// derives from, which tell why it differs (<see cref="Drift.UnexplainedDerived"/>, or an asset total moved by
/// contributions changed since the snapshot, which is no difference): a project differing in <c>dependency_count</c>
/// alone comes after the edges' <see cref="OnKindCompletedAsync"/>, an asset differing in <c>total_cost</c> alone after
/// the contributions', in batches of their own, in key order. Nothing needs writing for them: the repair of the edges
/// and contributions fixes them, unless they are unexplained.
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

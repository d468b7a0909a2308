using System.Diagnostics;

namespace Storage.DualWrite;

public sealed partial class DualWriteCoordinator
{
    /// <summary>
    /// One write through both backends: takes the key locks, writes the authoritative backend (its failure fails the
    /// call), then, in phases 2-4, hands the result to the other backend through the pipeline; a failure there, or a
    /// key already pending, journals the affected keys instead. In phases 1 and 5 the keys are only journaled, for the
    /// reconciler to copy when the other backend is in use.
    /// </summary>
    /// <param name="stores">The two backends.</param>
    /// <param name="repairer">Repairs a key pending from the non-authoritative side before it is written.</param>
    /// <param name="operation">The operation's name, for telemetry.</param>
    /// <param name="locks">Keys whose stripes are held across both writes.</param>
    /// <param name="known">Keys the write changes that are known before it runs (journaled when the authoritative write fails ambiguously).</param>
    /// <param name="watch">Further keys: when one is pending, the other backend is skipped.</param>
    /// <param name="write">The authoritative write.</param>
    /// <param name="affected">Every key the result changed.</param>
    /// <param name="lockAfter">A key made by the write (a new id nobody else can know yet), locked after it unless its stripe is held already.</param>
    /// <param name="mirror">Hands the result to the other backend.</param>
    /// <param name="cancellationToken">Cancels waiting for locks and the authoritative write; never the other backend's write.</param>
    internal async Task<T> WriteAsync<TStore, T>(
        StorePair<TStore> stores,
        IKeyRepairer repairer,
        string operation,
        EntityKey[] locks,
        EntityKey[] known,
        EntityKey[] watch,
        Func<TStore, CancellationToken, Task<T>> write,
        Func<T, IEnumerable<EntityKey>> affected,
        Func<T, EntityKey?>? lockAfter,
        Func<TStore, T, CancellationToken, Task> mirror,
        CancellationToken cancellationToken)
        where TStore : class
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var activity = DualWriteTelemetry.ActivitySource.StartActivity(operation);
        var held = locks.Length == 0 ? default : await Locks.AcquireAsync(locks, cancellationToken);
        try
        {
            var flags = Flags.Current;
            var authoritative = flags.Authoritative;
            activity?.SetTag("storage.dual_write.phase", (int)flags.Phase);
            await RepairFromOtherSideAsync(repairer, known, authoritative);
            await RepairFromOtherSideAsync(repairer, watch, authoritative);

            var start = Telemetry.Start();
            T result;
            try
            {
                result = await write(stores.Get(authoritative), cancellationToken);
            }
            catch (Exception ex) when (ex is not (StorageException or ArgumentException))
            {
                // The write may have landed before the failure: let the reconciler copy whatever the authoritative backend
                // holds, unless the key already waits for a copy the other way (the authoritative side is then the stale one).
                Telemetry.Write(authoritative, "failure");
                MarkDirty(known, authoritative, keepPending: true);
                throw;
            }

            Telemetry.Elapsed(authoritative, operation, start);
            Telemetry.Write(authoritative, "success");
            var heldAfter = lockAfter?.Invoke(result) is { } made && !held.Covers(made) ? await Locks.AcquireAsync(made, CancellationToken.None) : default;
            try
            {
                await MirrorAsync(stores, flags, operation, [.. affected(result)], watch, mirror, result);
            }
            finally
            {
                Release(heldAfter);
            }

            return result;
        }
        finally
        {
            Release(held);
        }
    }

    private static void Release(KeyLocks.Held held)
    {
        if (!held.IsEmpty)
        {
            held.Dispose();
        }
    }

    /// <summary>
    /// Keys whose good state is on the non-authoritative side are copied over first, so the write does not build on
    /// stale state (nor, for an email, create a second contributor with it). When that copy fails the call fails with
    /// <see cref="KeyRepairPendingException"/>: the latest state of the key cannot be reached, and writing over a stale
    /// copy would lose it. (Only keys left pending by a step back from phase 4 or 5 can be in that state.)
    /// </summary>
    private async Task RepairFromOtherSideAsync(IKeyRepairer repairer, EntityKey[] keys, BackendRole authoritative)
    {
        foreach (var key in keys)
        {
            if (!Journal.TryGetGoodSide(key, out var good) || good == authoritative)
            {
                continue;
            }

            try
            {
                await repairer.RepairHeldAsync(key, good, CancellationToken.None);
                Journal.MarkRepaired(key, good);
            }
            catch (Exception ex)
            {
                DualWriteLog.RepairLostToWrite(Logger, ex, key.ToString(), DualWriteTelemetry.BackendName(good));
                throw new KeyRepairPendingException(key, good, ex);
            }
        }
    }

    private async Task MirrorAsync<TStore, T>(
        StorePair<TStore> stores,
        MigrationFlags flags,
        string operation,
        EntityKey[] affected,
        EntityKey[] watch,
        Func<TStore, T, CancellationToken, Task> mirror,
        T result)
        where TStore : class
    {
        var authoritative = flags.Authoritative;
        var other = authoritative == BackendRole.Source ? BackendRole.Target : BackendRole.Source;
        if (flags.Phase is MigrationPhase.SourceOnly or MigrationPhase.TargetOnly)
        {
            // The other backend is not written on the caller's path: journal the keys, so that stepping to the next
            // (or back to the previous) phase finds the other backend brought up to date by the reconciler.
            MarkDirty(affected, authoritative);
            Telemetry.Write(other, "journaled");
            return;
        }

        if (AnyPending(affected) || AnyPending(watch))
        {
            MarkDirty(affected, authoritative);
            Telemetry.Write(other, "skipped");
            return;
        }

        var start = Telemetry.Start();
        try
        {
            var store = stores.Get(other);
            await Pipeline.ExecuteAsync(static async (state, token) => await state.mirror(state.store, state.result, token), (mirror, store, result), CancellationToken.None);
            Telemetry.Elapsed(other, operation, start);
            Telemetry.Write(other, "success");
        }
        catch (Exception ex)
        {
            MarkDirty(affected, authoritative);
            Telemetry.Write(other, "failure");
            DualWriteLog.SecondaryWriteFailed(Logger, ex, affected.Length > 0 ? affected[0].ToString() : operation, DualWriteTelemetry.BackendName(other), operation);
        }
    }

    private bool AnyPending(EntityKey[] keys)
    {
        if (Journal.PendingCount == 0)
        {
            return false;
        }

        foreach (var key in keys)
        {
            if (Journal.TryGetGoodSide(key, out _))
            {
                return true;
            }
        }

        return false;
    }
}

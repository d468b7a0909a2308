using Polly.CircuitBreaker;

namespace Storage.DualWrite;

public sealed partial class DualWriteCoordinator
{
    /// <summary>
    /// One reconciler pass: for up to <paramref name="maxKeys"/> pending keys, copies the key's current state from the
    /// backend that holds it to the other, under the key's lock, and marks it repaired; up to
    /// <see cref="DualWriteOptions.ReconcileParallelism"/> keys at once. Order and repeats do not matter. A key whose
    /// repair fails stays pending; an open breaker ends the pass early.
    /// </summary>
    /// <returns>The number of keys repaired.</returns>
    public async Task<int> ReconcileAsync(int maxKeys, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKeys, 1);
        var repaired = 0;
        using var pass = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Options.ReconcileParallelism, CancellationToken = pass.Token };
        try
        {
            await Parallel.ForEachAsync(Journal.Pending().Take(maxKeys), parallel, async (pending, token) =>
            {
                if (await RepairOneAsync(pending.Key, pending.Value, pass, token))
                {
                    Interlocked.Increment(ref repaired);
                }
            });
        }
        catch (OperationCanceledException) when (pass.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The breaker opened: the pass ends early, the keys left stay pending.
        }

        return repaired;
    }

    private async Task<bool> RepairOneAsync(EntityKey key, BackendRole good, CancellationTokenSource pass, CancellationToken cancellationToken)
    {
        if (RepairerOf(key.Kind) is not { } repairer)
        {
            return false;
        }

        try
        {
            using var activity = DualWriteTelemetry.ActivitySource.StartActivity("Repair");
            var done = await repairer.WithKeyLockedAsync(
                key,
                good,
                async () =>
                {
                    if (!Journal.TryGetGoodSide(key, out var now) || now != good)
                    {
                        return false;
                    }

                    await repairer.RepairHeldAsync(key, good, cancellationToken);
                    return Journal.MarkRepaired(key, good);
                },
                cancellationToken);
            if (done)
            {
                Telemetry.Repair("success");
            }

            return done;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (BrokenCircuitException ex)
        {
            Telemetry.Repair("failure");
            DualWriteLog.RepairFailed(Logger, ex, key.ToString(), DualWriteTelemetry.BackendName(good));
            await pass.CancelAsync();
            return false;
        }
        catch (Exception ex)
        {
            Telemetry.Repair("failure");
            DualWriteLog.RepairFailed(Logger, ex, key.ToString(), DualWriteTelemetry.BackendName(good));
            return false;
        }
    }
}

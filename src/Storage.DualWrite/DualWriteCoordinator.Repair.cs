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
        var pass = new PassState();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Options.ReconcileParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Journal.Pending().Take(maxKeys), parallel, async (pending, token) =>
        {
            // Once the breaker has refused a repair, no new one starts; those under way (a half-open breaker's trial
            // among them) are never cut short, so the trial can close the breaker for the next pass.
            if (!pass.Stopped && await RepairOneAsync(pending.Key, pending.Value, pass, token))
            {
                Interlocked.Increment(ref repaired);
            }
        });
        return repaired;
    }

    private async Task<bool> RepairOneAsync(EntityKey key, BackendRole good, PassState pass, CancellationToken cancellationToken)
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
            pass.Stop();
            return false;
        }
        catch (Exception ex)
        {
            Telemetry.Repair("failure");
            DualWriteLog.RepairFailed(Logger, ex, key.ToString(), DualWriteTelemetry.BackendName(good));
            return false;
        }
    }

    /// <summary>Whether a reconciler pass should start more repairs.</summary>
    private sealed class PassState
    {
        private int _stopped;

        public bool Stopped => Volatile.Read(ref _stopped) != 0;

        public void Stop() => Volatile.Write(ref _stopped, 1);
    }
}

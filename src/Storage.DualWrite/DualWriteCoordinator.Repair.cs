using Polly.CircuitBreaker;

namespace Storage.DualWrite;

public sealed partial class DualWriteCoordinator
{
    /// <summary>
    /// One reconciler pass: for up to <paramref name="maxKeys"/> pending keys, copies the key's current state from the
    /// backend that holds it to the other, under the key's lock, and marks it repaired. Order and repeats do not matter.
    /// A key whose repair fails stays pending; an open breaker ends the pass early.
    /// </summary>
    /// <returns>The number of keys repaired.</returns>
    public async Task<int> ReconcileAsync(int maxKeys, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKeys, 1);
        var repaired = 0;
        foreach (var (key, good) in Journal.Pending().Take(maxKeys))
        {
            if (RepairerOf(key.Kind) is not { } repairer)
            {
                continue;
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
                    repaired++;
                    Telemetry.Repair("success");
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (BrokenCircuitException ex)
            {
                Telemetry.Repair("failure");
                DualWriteLog.RepairFailed(Logger, ex, key.ToString(), DualWriteTelemetry.BackendName(good));
                break;
            }
            catch (Exception ex)
            {
                Telemetry.Repair("failure");
                DualWriteLog.RepairFailed(Logger, ex, key.ToString(), DualWriteTelemetry.BackendName(good));
            }
        }

        return repaired;
    }
}

namespace Storage.Consistency;

/// <summary>
/// A repair was cancelled after part of it was committed: <see cref="Committed"/> records were written or deleted
/// first (whole batches, or bulk loads already committed), and stay. Still an <see cref="OperationCanceledException"/>
/// of the caller's token. Running the repair again writes only what is still missing or different.
/// </summary>
public sealed class RepairCancelledException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="committed">Records written or deleted, and committed, before the cancellation.</param>
    /// <param name="finishingLoad">Whether it came while the work a committed bulk load left was being done (<see cref="IBulkLoadSession.FinishAsync"/>).</param>
    /// <param name="innerException">The cancellation.</param>
    /// <param name="cancellationToken">The token that cancelled the repair.</param>
    public RepairCancelledException(long committed, bool finishingLoad, Exception innerException, CancellationToken cancellationToken)
        : base($"The repair was cancelled after {committed:N0} records were written or deleted.", innerException, cancellationToken)
    {
        Committed = committed;
        FinishingLoad = finishingLoad;
    }

    /// <summary>Records written or deleted, and committed, before the cancellation.</summary>
    public long Committed { get; }

    /// <summary>
    /// Whether the cancellation came after a bulk load's commit, while the work it left was being done (a PostgreSQL load
    /// builds the indexes it dropped; those not built stay listed for the next repair).
    /// </summary>
    public bool FinishingLoad { get; }
}

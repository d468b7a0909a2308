namespace Storage.Consistency;

/// <summary>
/// A repair failed after part of it was committed: <see cref="Committed"/> records were written or deleted first (whole
/// batches, or bulk loads already committed). <see cref="Exception.InnerException"/> says why it stopped. Running the
/// repair again writes only what is still missing or different.
/// </summary>
public sealed class RepairStoppedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="committed">Records written or deleted, and committed, before the failure.</param>
    /// <param name="innerException">Why the repair stopped.</param>
    public RepairStoppedException(long committed, Exception innerException)
        : base($"The repair stopped after {committed:N0} records were written or deleted: {innerException?.Message}", innerException)
    {
        ArgumentNullException.ThrowIfNull(innerException);
        Committed = committed;
    }

    /// <summary>Records written or deleted, and committed, before the failure.</summary>
    public long Committed { get; }

    /// <summary>
    /// Whether the failure came after a bulk load's commit, while the work it left was being done (a PostgreSQL load
    /// builds the indexes it dropped; those not built stay listed for the next repair).
    /// </summary>
    public bool FinishingLoad { get; init; }
}

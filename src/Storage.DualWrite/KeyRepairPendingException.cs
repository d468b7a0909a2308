namespace Storage.DualWrite;

/// <summary>
/// A write was refused because its key's latest state is only on the non-authoritative backend (a repair is pending
/// from there) and that backend could not be read to copy it over first. Writing on top of the stale copy would lose
/// the latest state, so the call fails instead; it succeeds once that backend answers again.
/// </summary>
public sealed class KeyRepairPendingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KeyRepairPendingException(EntityKey key, BackendRole goodSide, Exception innerException)
        : base($"The latest state of {key} is only on the {DualWriteTelemetry.BackendName(goodSide)} backend, which did not answer; the write was not made.", innerException)
    {
        Key = key;
        GoodSide = goodSide;
    }

    /// <summary>The key whose repair is pending.</summary>
    public EntityKey Key { get; }

    /// <summary>The backend that holds the key's latest state.</summary>
    public BackendRole GoodSide { get; }
}

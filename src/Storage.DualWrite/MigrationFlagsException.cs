namespace Storage.DualWrite;

/// <summary>A migration setting has a value that cannot be used; the message names the setting and the value.</summary>
public sealed class MigrationFlagsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MigrationFlagsException(string message)
        : base(message)
    {
    }
}

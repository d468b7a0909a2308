namespace Storage.Abstractions;

/// <summary>The operation conflicts with the stored state: a duplicate unique value, or a task claimed by another worker.</summary>
public sealed class StorageConflictException : StorageException
{
    /// <summary>Creates the exception.</summary>
    public StorageConflictException(string message)
        : base(message)
    {
    }
}

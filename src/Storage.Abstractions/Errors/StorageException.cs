namespace Storage.Abstractions;

/// <summary>Base type of every error a store reports on purpose. Backends throw the same subtype, with the same message, for the same input.</summary>
public abstract class StorageException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    protected StorageException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

namespace Storage.Abstractions;

/// <summary>Input was rejected before anything was written. <see cref="Field"/> names the offending field.</summary>
public sealed class StorageValidationException : StorageException
{
    /// <summary>Creates the exception for <paramref name="field"/>.</summary>
    public StorageValidationException(string field, string message)
        : base($"{field}: {message}")
    {
        Field = field;
        Reason = message;
    }

    /// <summary>The field that failed validation, for example <c>name</c> or <c>cost_amount</c>.</summary>
    public string Field { get; }

    /// <summary>What is wrong with the field, without the field name.</summary>
    public string Reason { get; }
}

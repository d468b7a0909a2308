namespace Storage.Postgres;

/// <summary>A record a bulk load left out, and why (the message the import would have given for it).</summary>
/// <param name="Record">The record as given (or as stored, for one removed after the COPY).</param>
/// <param name="Reason">Why it was left out.</param>
/// <typeparam name="T">The record type.</typeparam>
public sealed record PostgresBulkLoadRejection<T>(T Record, string Reason);

namespace Storage.Consistency;

/// <summary>
/// Bulk loads of a target's empty tables, for a target that has them (PostgreSQL: see the tool's
/// <c>PostgresBulkLoader</c>). A repair loads every kind whose table is empty through one, unless
/// <see cref="RepairOptions.BulkLoad"/> is off; any other kind is written in batches with the stores' imports.
/// </summary>
public interface IBulkLoader
{
    /// <summary>
    /// Starts loading <paramref name="kind"/>; null, having changed nothing, when its table is not empty or not free (the
    /// repair then writes batches).
    /// </summary>
    Task<IBulkLoad?> TryBeginAsync(RecordKind kind, CancellationToken cancellationToken);
}

/// <summary>One kind being bulk-loaded: every record written, then all of them committed at once, or none.</summary>
public interface IBulkLoad : IAsyncDisposable
{
    /// <summary>Writes records of the kind, in key order; none is visible before <see cref="CommitAsync"/>.</summary>
    Task WriteAsync(IReadOnlyList<object> records, CancellationToken cancellationToken);

    /// <summary>
    /// Ends the writes and makes the load ready to commit (indexes, constraints); returns the records it left out
    /// (invalid, or whose references do not hold), with why. Nothing is visible yet.
    /// </summary>
    Task<IReadOnlyList<(object Record, string Reason)>> BuildAsync(CancellationToken cancellationToken);

    /// <summary>Commits a built load: every record becomes visible at once.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}

namespace Storage.Consistency;

/// <summary>
/// Bulk loads of a target's empty tables, for a target that has them (PostgreSQL: the tool's
/// <c>PostgresBulkLoader</c>). A repair loads every kind whose table is empty through one
/// <see cref="IBulkLoadSession"/>, committed once at its end, unless <see cref="RepairOptions.BulkLoad"/> is off; any
/// other kind is written in batches with the stores' imports.
/// </summary>
public interface IBulkLoader
{
    /// <summary>Begins a session: nothing it loads is visible before <see cref="IBulkLoadSession.CommitAsync"/>.</summary>
    Task<IBulkLoadSession> BeginAsync(CancellationToken cancellationToken);
}

/// <summary>One bulk load of empty tables: every kind it takes is committed at once, or none (dispose to roll back).</summary>
public interface IBulkLoadSession : IAsyncDisposable
{
    /// <summary>
    /// Takes <paramref name="kind"/>, after the kinds it depends on; null, having changed and kept nothing, when its
    /// table is not empty or not free (the repair then writes that kind in batches).
    /// </summary>
    Task<IBulkLoad?> TryBeginAsync(RecordKind kind, CancellationToken cancellationToken);

    /// <summary>Commits every kind taken (each built first: <see cref="IBulkLoad.BuildAsync"/>).</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}

/// <summary>One kind of a bulk load.</summary>
public interface IBulkLoad
{
    /// <summary>Writes records of the kind, in key order.</summary>
    Task WriteAsync(IReadOnlyList<object> records, CancellationToken cancellationToken);

    /// <summary>
    /// Ends the kind's writes (indexes, constraints); returns the records left out (invalid, or whose references do not
    /// hold), with why. Nothing is visible before the session commits.
    /// </summary>
    Task<IReadOnlyList<(object Record, string Reason)>> BuildAsync(CancellationToken cancellationToken);
}

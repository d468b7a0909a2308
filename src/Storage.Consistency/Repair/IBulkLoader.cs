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
    Task<IBulkLoadSession> BeginAsync(CancellationToken cancellationToken = default);
}

using Npgsql;

namespace Storage.Postgres;

/// <summary>
/// The PostgreSQL <see cref="IGraphStore"/>, over an <see cref="NpgsqlDataSource"/> whose search path is the
/// store's schema (build it with <see cref="PostgresStorageDataSource"/>; apply <see cref="PostgresMigrator"/> first).
/// Fed the same calls, it returns the same values and throws the same errors as the in-memory store.
/// </summary>
/// <remarks>
/// Thread safety: every member is safe for concurrent use; each call takes its own pooled connection.
/// Derived values are exact under concurrency: dependency counts are counted from the edges when read, and asset
/// totals are kept by triggers in the transaction that changes a contribution.
/// </remarks>
public sealed partial class PostgresGraphStore : IGraphStore
{
    /// <summary>Rows per round trip when streaming.</summary>
    internal const int StreamPageSize = 1_000;

    private readonly PostgresExecutor _executor;
    private readonly TimeProvider _timeProvider;
    private readonly IStorageIdGenerator _idGenerator;

    /// <summary>Creates the store, retrying with <see cref="PostgresResilience.Default"/>.</summary>
    /// <param name="dataSource">Connections whose search path is the store's schema.</param>
    /// <param name="timeProvider">The clock for created and updated times, read once per operation.</param>
    /// <param name="idGenerator">The source of new ids.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public PostgresGraphStore(NpgsqlDataSource dataSource, TimeProvider timeProvider, IStorageIdGenerator idGenerator)
        : this(dataSource, timeProvider, idGenerator, PostgresResilience.Default)
    {
    }

    /// <summary>Creates the store.</summary>
    /// <param name="dataSource">Connections whose search path is the store's schema.</param>
    /// <param name="timeProvider">The clock for created and updated times, read once per operation.</param>
    /// <param name="idGenerator">The source of new ids.</param>
    /// <param name="resilience">Which failures are retried, how often; see <see cref="PostgresResilience"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public PostgresGraphStore(NpgsqlDataSource dataSource, TimeProvider timeProvider, IStorageIdGenerator idGenerator, PostgresResilience resilience)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(idGenerator);
        ArgumentNullException.ThrowIfNull(resilience);
        _executor = new PostgresExecutor(dataSource, resilience);
        _timeProvider = timeProvider;
        _idGenerator = idGenerator;
    }

    /// <summary>"Now" for one operation: UTC, whole microseconds.</summary>
    private DateTimeOffset Now() => StorageTime.Now(_timeProvider);
}

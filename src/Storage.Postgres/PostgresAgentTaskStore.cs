using Npgsql;

namespace Storage.Postgres;

/// <summary>
/// The PostgreSQL <see cref="IAgentTaskStore"/>, over an <see cref="NpgsqlDataSource"/> whose search path is the
/// store's schema (build it with <see cref="PostgresStorageDataSource"/>; apply <see cref="PostgresMigrator"/> first).
/// Fed the same calls, it returns the same values and throws the same errors as the in-memory store.
/// </summary>
/// <remarks>
/// Thread safety: every member is safe for concurrent use; each call takes its own pooled connection. Updates and
/// claims are single atomic statements. Counts and list totals come from counter rows that triggers keep in the
/// same transaction as the task rows, so they are exact and cost the same at a million tasks as at ten.
/// </remarks>
public sealed partial class PostgresAgentTaskStore : IAgentTaskStore
{
    /// <summary>Rows per round trip when streaming.</summary>
    internal const int StreamPageSize = 1_000;

    private readonly PostgresExecutor _executor;
    private readonly TimeProvider _timeProvider;
    private readonly IStorageIdGenerator _idGenerator;

    /// <summary>Creates the store, retrying with <see cref="PostgresResilience.Default"/>.</summary>
    /// <param name="dataSource">Connections whose search path is the store's schema.</param>
    /// <param name="timeProvider">The clock read once per write, through <see cref="StorageTime.Now"/>.</param>
    /// <param name="idGenerator">The source of generated task ids.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public PostgresAgentTaskStore(NpgsqlDataSource dataSource, TimeProvider timeProvider, IStorageIdGenerator idGenerator)
        : this(dataSource, timeProvider, idGenerator, PostgresResilience.Default)
    {
    }

    /// <summary>Creates the store.</summary>
    /// <param name="dataSource">Connections whose search path is the store's schema.</param>
    /// <param name="timeProvider">The clock read once per write, through <see cref="StorageTime.Now"/>.</param>
    /// <param name="idGenerator">The source of generated task ids.</param>
    /// <param name="resilience">Which failures are retried, how often; see <see cref="PostgresResilience"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public PostgresAgentTaskStore(NpgsqlDataSource dataSource, TimeProvider timeProvider, IStorageIdGenerator idGenerator, PostgresResilience resilience)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(idGenerator);
        ArgumentNullException.ThrowIfNull(resilience);
        _executor = new PostgresExecutor(dataSource, resilience);
        _timeProvider = timeProvider;
        _idGenerator = idGenerator;
    }

    private DateTimeOffset Now() => StorageTime.Now(_timeProvider);
}

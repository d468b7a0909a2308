using System.Runtime.ExceptionServices;
using Dapper;
using Npgsql;
using static Storage.Postgres.PostgresCommands;

namespace Storage.Postgres;

/// <summary>
/// Builds the indexes a <see cref="PostgresBulkLoad"/> left to build after its commit (the table
/// <c>pending_index_builds</c>, migration 0003), several at once, each on a connection of its own: one transaction
/// builds one index at a time, and a trigram index of a million rows takes PostgreSQL 15 seconds on one core.
/// </summary>
/// <remarks>
/// Each index is built in a transaction of its own that also removes its row, so a build that fails, is cancelled or
/// is cut off by a lost connection leaves its index listed, and the next run builds it; an index that exists already
/// (built by hand) is only taken off the list. A build holds a SHARE lock on its table: other sessions read it
/// meanwhile, and their writes to it wait. Run by the checker's <c>repair</c> after its bulk load commits and before
/// it starts, and by its <c>migrate</c>.
/// </remarks>
public static class PostgresIndexBuilds
{
    /// <summary>How many indexes are built at once unless told otherwise.</summary>
    public const int DefaultConnections = 2;

    // The next build no other connection holds, in the load's order, and whether its index exists already.
    private const string TakeSql = """
        SELECT index_name, definition, to_regclass(quote_ident(index_name)) IS NOT NULL
        FROM pending_index_builds
        ORDER BY position, index_name
        LIMIT 1
        FOR UPDATE SKIP LOCKED
        """;

    private const string DoneSql = "DELETE FROM pending_index_builds WHERE index_name = @IndexName";

    private const string CountSql = "SELECT count(*)::int FROM pending_index_builds";

    // An index build sorts in memory up to maintenance_work_mem (the default, 64MB, spills a million rows to disk); it
    // waits for its lock as long as other sessions hold theirs, and runs as long as it takes. The builds are the
    // parallelism: a B-tree build's own parallel workers would only take cores from the other builds.
    private const string SetupSql = """
        SET LOCAL lock_timeout = 0;
        SET LOCAL statement_timeout = 0;
        SET LOCAL idle_in_transaction_session_timeout = 0;
        SET LOCAL maintenance_work_mem = '256MB';
        SET LOCAL max_parallel_maintenance_workers = 0
        """;

    /// <summary>How many index builds are waiting.</summary>
    /// <param name="dataSource">Connections whose search path is the stores' schema.</param>
    /// <param name="cancellationToken">Stops the query.</param>
    public static async Task<int> CountPendingAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ScalarAsync<int>(CountSql, null, cancellationToken);
    }

    /// <summary>
    /// Builds every waiting index, <paramref name="connections"/> at a time; returns how many were built (or found
    /// built). When one fails the others finish the index they are building and take no other, and the failure is
    /// thrown; the indexes not built stay listed.
    /// </summary>
    /// <param name="dataSource">Connections whose search path is the stores' schema (the role must own the tables).</param>
    /// <param name="connections">How many indexes to build at once: 1 or more.</param>
    /// <param name="cancellationToken">Stops the builds under way (rolled back: they stay listed).</param>
    /// <exception cref="NpgsqlException">A build failed, or the server is unreachable.</exception>
    public static async Task<int> RunPendingAsync(
        NpgsqlDataSource dataSource, int connections = DefaultConnections, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1);
        var state = new RunState();
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(() => BuildAllAsync(dataSource, state, cancellationToken), CancellationToken.None));
        try
        {
            await Task.WhenAll(workers);
        }
        catch
        {
            // The first failure, not the first worker's: a failure stops the others taking more.
            state.Failure?.Throw();
            throw;
        }

        return state.Built;
    }

    private static async Task BuildAllAsync(NpgsqlDataSource dataSource, RunState state, CancellationToken cancellationToken)
    {
        try
        {
            while (!state.Failed && await TryBuildOneAsync(dataSource, cancellationToken))
            {
                Interlocked.Increment(ref state.Built);
            }
        }
        catch (Exception ex)
        {
            state.Fail(ex);
            throw;
        }
    }

    /// <summary>Builds the next waiting index and takes it off the list, in one transaction; false when none waits.</summary>
    private static async Task<bool> TryBuildOneAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var (connection, transaction) = await BeginOwnAsync(dataSource, System.Data.IsolationLevel.ReadCommitted, SetupSql, cancellationToken);
        await using (connection)
        await using (transaction)
        {
            var taken = await connection.ListAsync(
                TakeSql, null, r => (Name: r.GetString(0), Definition: r.GetString(1), Exists: r.GetBoolean(2)), cancellationToken, transaction);
            if (taken is not [var build])
            {
                return false;
            }

            if (!build.Exists)
            {
                await connection.ExecuteAsync(Command(build.Definition, null, cancellationToken, transaction, Unlimited));
            }

            await connection.ExecuteAsync(Command(DoneSql, new { IndexName = build.Name }, cancellationToken, transaction));
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
    }

    private sealed class RunState
    {
        public int Built;
        private ExceptionDispatchInfo? _failure;

        public bool Failed => Volatile.Read(ref _failure) is not null;

        public ExceptionDispatchInfo? Failure => Volatile.Read(ref _failure);

        public void Fail(Exception exception) => Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(exception), null);
    }
}

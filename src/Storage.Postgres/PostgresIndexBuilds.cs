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

    // The next build no other connection holds and this run has not seen fail, in the load's order; the table it names,
    // as pg_get_indexdef names it; and whether its index exists already (a valid index of that name on that table).
    private const string TakeSql = """
        SELECT b.index_name, b.table_name, b.definition,
               coalesce((SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                         WHERE c.relname = b.index_name AND c.relnamespace = t.relnamespace AND i.indrelid = t.oid), false),
               quote_ident(b.index_name), coalesce(format('%I.%I', n.nspname, t.relname), '')
        FROM pending_index_builds b
        LEFT JOIN pg_class t ON t.oid = to_regclass(quote_ident(b.table_name))
        LEFT JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE b.index_name <> ALL (@Failed)
        ORDER BY b.position, b.index_name
        LIMIT 1
        FOR UPDATE OF b SKIP LOCKED
        """;

    private const string DoneSql = "DELETE FROM pending_index_builds WHERE index_name = @IndexName";

    private const string CountSql = "SELECT count(*)::int FROM pending_index_builds";

    // The roles that may log in and add, change or trigger on the list's rows without being its owner (or a member of
    // the owner's role, or a superuser, who may do anything the owner may). A listed definition runs as whoever builds
    // (the tables' owner): a list others can write would let them run statements, or index expressions, as the owner.
    internal const string WritersSql = """
        SELECT coalesce(string_agg(r.rolname, ', ' ORDER BY r.rolname), '')
        FROM pg_class c, pg_roles r
        WHERE c.oid = to_regclass('pending_index_builds')
          AND r.rolcanlogin AND NOT r.rolsuper AND NOT pg_has_role(r.oid, c.relowner, 'USAGE')
          AND (has_table_privilege(r.oid, c.oid, 'INSERT, UPDATE, TRIGGER') OR has_any_column_privilege(r.oid, c.oid, 'INSERT, UPDATE'))
        """;

    // An index build sorts in memory up to maintenance_work_mem (the default, 64MB, spills a million rows to disk); it
    // waits for its lock as long as other sessions hold theirs, and runs as long as it takes: no lock, statement, idle
    // or (PostgreSQL 17) transaction limit ends it. The builds are the parallelism: a B-tree build's own parallel
    // workers would only take cores from the other builds.
    private const string SetupSql = """
        SET LOCAL lock_timeout = 0;
        SET LOCAL statement_timeout = 0;
        SET LOCAL idle_in_transaction_session_timeout = 0;
        SET LOCAL maintenance_work_mem = '256MB';
        SET LOCAL max_parallel_maintenance_workers = 0;
        SELECT set_config(name, '0', true) FROM pg_settings WHERE name = 'transaction_timeout'
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
    /// built). A build that fails holds up no other: the others are built, then the first failure is thrown. Anything
    /// else (a lost connection, a cancellation) stops every build. The indexes not built stay listed.
    /// </summary>
    /// <param name="dataSource">Connections whose search path is the stores' schema (the role must own the tables).</param>
    /// <param name="connections">How many indexes to build at once: 1 or more.</param>
    /// <param name="lockTimeout">
    /// How long a build may wait for its table (other sessions' writes in progress); past it the build fails (it stays
    /// listed) rather than keeping the table's new writes queued behind it. Null: as long as it takes.
    /// </param>
    /// <param name="cancellationToken">Stops the builds under way (rolled back: they stay listed).</param>
    /// <exception cref="PostgresIndexBuildException">A build failed, or its listed definition is not to be trusted.</exception>
    /// <exception cref="NpgsqlException">The server is unreachable, or the list cannot be read.</exception>
    public static async Task<int> RunPendingAsync(
        NpgsqlDataSource dataSource, int connections = DefaultConnections, TimeSpan? lockTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1);
        if (lockTimeout is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(limit, TimeSpan.FromMilliseconds(1), nameof(lockTimeout));
        }

        var setup = lockTimeout is { } wait
            ? $"{SetupSql};\nSET LOCAL lock_timeout = '{(long)Math.Ceiling(wait.TotalMilliseconds)}ms'"
            : SetupSql;
        var state = new RunState();
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(() => BuildAllAsync(dataSource, setup, state, cancellationToken), CancellationToken.None));
        try
        {
            await Task.WhenAll(workers);
        }
        catch
        {
            // The first failure, not the first worker's: anything but a failed build stops the others taking more.
            state.Failure?.Throw();
            throw;
        }

        // A failed build holds up no other: the others were built, and the first failure is told now.
        state.BuildFailure?.Throw();
        return state.Built;
    }

    private static async Task BuildAllAsync(NpgsqlDataSource dataSource, string setup, RunState state, CancellationToken cancellationToken)
    {
        try
        {
            while (!state.Failed)
            {
                try
                {
                    if (!await TryBuildOneAsync(dataSource, setup, state.FailedNames, cancellationToken))
                    {
                        return;
                    }

                    Interlocked.Increment(ref state.Built);
                }
                catch (PostgresIndexBuildException ex)
                {
                    state.FailBuild(ex);
                }
            }
        }
        catch (Exception ex)
        {
            state.Fail(ex);
            throw;
        }
    }

    /// <summary>Builds the next waiting index and takes it off the list, in one transaction; false when none waits.</summary>
    private static async Task<bool> TryBuildOneAsync(NpgsqlDataSource dataSource, string setup, string[] failed, CancellationToken cancellationToken)
    {
        var (connection, transaction) = await BeginOwnAsync(dataSource, System.Data.IsolationLevel.ReadCommitted, setup, cancellationToken);
        await using (connection)
        await using (transaction)
        {
            var taken = await connection.ListAsync(
                TakeSql,
                new { Failed = failed },
                r => new Build(r.GetString(0), r.GetString(1), r.GetString(2), r.GetBoolean(3), r.GetString(4), r.GetString(5)),
                cancellationToken,
                transaction);
            if (taken is not [var build])
            {
                return false;
            }

            if (!build.Exists)
            {
                await ThrowIfUntrustedAsync(connection, transaction, build, cancellationToken);
                try
                {
                    await connection.ExecuteAsync(Command(build.Definition, null, cancellationToken, transaction, Unlimited));
                }
                catch (PostgresException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new PostgresIndexBuildException(build.Name, build.Table, $"{ex.SqlState}: {ex.MessageText}", ex);
                }
            }

            await connection.ExecuteAsync(Command(DoneSql, new { IndexName = build.Name }, cancellationToken, transaction));
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
    }

    /// <summary>
    /// Refuses to run a listed definition that others than the list's owner may have written, or that is not one
    /// <c>CREATE INDEX</c> of the listed name on the listed table of this schema (as <c>pg_get_indexdef</c> writes it).
    /// </summary>
    private static async Task ThrowIfUntrustedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Build build, CancellationToken cancellationToken)
    {
        var writers = (await connection.ListAsync(WritersSql, null, r => r.GetString(0), cancellationToken, transaction))[0];
        if (writers.Length > 0)
        {
            throw new PostgresIndexBuildException(
                build.Name,
                build.Table,
                $"pending_index_builds may be written by {writers}, and its definitions run as the role building them: REVOKE ALL ON pending_index_builds FROM them");
        }

        var shape = $"CREATE INDEX {build.QuotedName} ON {build.QuotedTable} USING ";
        if (build.Definition.Contains(';', StringComparison.Ordinal) || !build.Definition.StartsWith(shape, StringComparison.Ordinal))
        {
            throw new PostgresIndexBuildException(build.Name, build.Table, $"its definition is not one CREATE INDEX {build.Name} ON {build.Table}: {build.Definition}");
        }
    }

    private sealed record Build(string Name, string Table, string Definition, bool Exists, string QuotedName, string QuotedTable);

    /// <summary>
    /// What the workers of one run share: how many they built, the builds that failed (taken by none again; the first
    /// thrown at the end), and the first failure of any other kind (which stops them all).
    /// </summary>
    private sealed class RunState
    {
        private readonly List<string> _failedNames = [];
        private ExceptionDispatchInfo? _buildFailure;
        private ExceptionDispatchInfo? _failure;

        public int Built;

        public string[] FailedNames
        {
            get
            {
                lock (_failedNames)
                {
                    return [.. _failedNames];
                }
            }
        }

        /// <summary>The first failed build; read once every worker has ended.</summary>
        public ExceptionDispatchInfo? BuildFailure => _buildFailure;

        public bool Failed => Volatile.Read(ref _failure) is not null;

        public ExceptionDispatchInfo? Failure => Volatile.Read(ref _failure);

        public void FailBuild(PostgresIndexBuildException exception)
        {
            lock (_failedNames)
            {
                _failedNames.Add(exception.IndexName);
                _buildFailure ??= ExceptionDispatchInfo.Capture(exception);
            }
        }

        public void Fail(Exception exception) => Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(exception), null);
    }
}

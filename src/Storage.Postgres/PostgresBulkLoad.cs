using Dapper;
using Npgsql;

namespace Storage.Postgres;

/// <summary>
/// A bulk load of empty tables (a backfill) in one transaction: each table is loaded in one piece
/// (<see cref="PostgresTableLoad{T}"/>: one binary COPY, its secondary indexes, foreign keys and unique constraints
/// dropped while the rows arrive, the constraints added again once over all of them), and <see cref="CommitAsync"/>
/// makes every table visible at once; a failure, a cancellation or <see cref="DisposeAsync"/> without a commit leaves
/// the database as it was. Maintaining a trigram or B-tree index and checking two foreign keys row by row costs the
/// server several times what building them once does.
/// </summary>
/// <remarks>
/// <para>
/// Tables are taken one after another, in dependency order (projects before edges, contributors and assets before
/// contributions), with <c>TryBegin…Async</c>: a table is taken only when it is empty and free within
/// 2 seconds; otherwise the call returns null, having changed and kept nothing
/// (the caller writes that kind with the stores' imports, on other connections). A taken table stays locked (ACCESS
/// EXCLUSIVE) until the commit, and so do the tables its foreign keys reference (dropping a foreign key locks both
/// ends): other sessions' reads and writes of them wait, then see every row or none.
/// </para>
/// <para>
/// Every record is validated as the imports validate it; one that fails is left out and reported. Records whose
/// references or unique values do not hold once all rows are in (an edge to a missing project, a contribution of a
/// missing contributor or asset, a second contributor with an email) are removed before the constraints are added
/// back, and reported too, with the message the imports give. Records of a table must come in strictly ascending key
/// order, without duplicates (a duplicate key fails the load); rows breaking a unique index of the table's own (not
/// one of the schema's constraints) fail the load too.
/// </para>
/// <para>
/// The secondary indexes are built after the commit (<see cref="BuildIndexesAsync"/>), several at once on connections of
/// their own, which one transaction cannot do: the commit lists them in <c>pending_index_builds</c> with the rows, so a
/// load stopped before they are built leaves them listed, for <see cref="PostgresIndexBuilds.RunPendingAsync"/>.
/// Until they are built the tables answer every query (the indexes serve search and ordering, not correctness), more
/// slowly, and writes to a table wait while one of its indexes is being built.
/// </para>
/// <para>Nothing is retried. Not safe for concurrent use: one table is written at a time.</para>
/// </remarks>
public sealed class PostgresBulkLoad : IAsyncDisposable
{
    /// <summary>How long a cancel request may take to reach the server.</summary>
    private static readonly TimeSpan CancelTimeout = TimeSpan.FromSeconds(10);

    private const string ExemptFromTimeoutsSql = """
        SET LOCAL idle_in_transaction_session_timeout = 0;
        SELECT set_config(name, '0', true) FROM pg_settings WHERE name = 'transaction_timeout'
        """;

    // Builds are taken in the order they are listed in: the load's order, its tables in dependency order (projects,
    // edges, contributors, assets, contributions, tasks), a table's indexes by name.
    private const string QueueSql = """
        INSERT INTO pending_index_builds (index_name, table_name, definition, position)
        VALUES (@IndexName, @TableName, @Definition, (SELECT coalesce(max(position), 0) + 1 FROM pending_index_builds))
        ON CONFLICT (index_name) DO NOTHING
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private ITableLoad? _current;
    private Task _cancelling = Task.CompletedTask;
    private bool _disposed;
    private bool _committed;

    private PostgresBulkLoad(NpgsqlDataSource dataSource, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _dataSource = dataSource;
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>Opens a connection of its own and begins the load's transaction.</summary>
    /// <param name="dataSource">Connections whose search path is the stores' schema.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <exception cref="NpgsqlException">The server is unreachable or refused the connection.</exception>
    /// <exception cref="InvalidOperationException">The schema is not migrated to the version the load needs.</exception>
    public static async Task<PostgresBulkLoad> BeginAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);

        // The transaction idles while the caller reads what it loads next (a repair checks the kinds it does not load
        // in between), and a backfill takes as long as it takes: a role's or database's idle-in-transaction limit, or
        // (PostgreSQL 17) transaction limit, must not end it part-way.
        var (connection, transaction) = await PostgresCommands.BeginOwnAsync(
            dataSource, System.Data.IsolationLevel.Unspecified, ExemptFromTimeoutsSql, cancellationToken);
        var load = new PostgresBulkLoad(dataSource, connection, transaction);
        try
        {
            // Found now rather than after the rows are in: the list of index builds comes with migration 0003.
            if (!await connection.ScalarAsync<bool>("SELECT to_regclass('pending_index_builds') IS NOT NULL", null, cancellationToken))
            {
                throw new InvalidOperationException(
                    "The schema has no pending_index_builds table: apply its migrations first (PostgresMigrator.ApplyAsync).");
            }

            // A list that roles other than its owner may write is not one to run definitions from: the indexes are then
            // built in the load's transaction, one after another, as before the list existed.
            load.DefersIndexes = (await connection.ScalarAsync<string>(PostgresIndexBuilds.WritersSql, null, cancellationToken)).Length == 0;
            return load;
        }
        catch
        {
            await load.DisposeAsync();
            throw;
        }
    }

    /// <summary>Takes the projects table; null when it is not empty or not free. Dependency counts are derived from the edges.</summary>
    public Task<PostgresTableLoad<Project>?> TryBeginProjectsAsync(CancellationToken cancellationToken = default)
        => TryBeginAsync(PostgresGraphStore.ProjectsTable, cancellationToken);

    /// <summary>Takes the dependency edges' table (and locks the projects); null when it is not empty or not free.</summary>
    public Task<PostgresTableLoad<DependencyEdge>?> TryBeginDependenciesAsync(CancellationToken cancellationToken = default)
        => TryBeginAsync(PostgresGraphStore.EdgesTable, cancellationToken);

    /// <summary>Takes the contributors table; null when it is not empty or not free.</summary>
    public Task<PostgresTableLoad<Contributor>?> TryBeginContributorsAsync(CancellationToken cancellationToken = default)
        => TryBeginAsync(PostgresGraphStore.ContributorsTable, cancellationToken);

    /// <summary>Takes the assets table; null when it is not empty or not free. Totals are derived: an asset starts at 0.00.</summary>
    public Task<PostgresTableLoad<Asset>?> TryBeginAssetsAsync(CancellationToken cancellationToken = default)
        => TryBeginAsync(PostgresGraphStore.AssetsTable, cancellationToken);

    /// <summary>
    /// Takes the contributions table (and locks the contributors and assets); null when it is not empty or not free.
    /// The assets' totals follow when its rows are built (the insert trigger runs once, over every row).
    /// </summary>
    public Task<PostgresTableLoad<Contribution>?> TryBeginContributionsAsync(CancellationToken cancellationToken = default)
        => TryBeginAsync(PostgresGraphStore.ContributionsTable, cancellationToken);

    /// <summary>Takes the agent tasks' table; null when it is not empty or not free. The task counts follow when its rows are built.</summary>
    public Task<PostgresTableLoad<AgentTask>?> TryBeginTasksAsync(CancellationToken cancellationToken = default)
        => TryBeginAsync(PostgresAgentTaskStore.TasksTable, cancellationToken);

    /// <summary>
    /// Commits every table taken: all their rows become visible at once, and the tables are free again. Their secondary
    /// indexes are not built yet: <see cref="BuildIndexesAsync"/> builds them next.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The load was committed or rolled back already.</exception>
    /// <exception cref="InvalidOperationException">The last table taken is not built yet (<see cref="PostgresTableLoad{T}.BuildAsync"/>).</exception>
    /// <exception cref="NpgsqlException">The commit failed; nothing was written.</exception>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ThrowIfUnbuilt();
        try
        {
            await _transaction.CommitAsync(cancellationToken);
            _committed = true;
        }
        finally
        {
            await DisposeAsync();
        }
    }

    /// <summary>
    /// After <see cref="CommitAsync"/>: builds the secondary indexes the load dropped, several at once
    /// (<see cref="PostgresIndexBuilds.RunPendingAsync"/>); returns how many. The rows are committed whatever this throws,
    /// and an index not built stays listed for the next <see cref="PostgresIndexBuilds.RunPendingAsync"/>.
    /// </summary>
    /// <param name="connections">How many indexes to build at once.</param>
    /// <param name="cancellationToken">Stops the builds under way.</param>
    /// <exception cref="InvalidOperationException">The load is not committed.</exception>
    /// <exception cref="PostgresIndexBuildException">A build failed, or its listed definition is not to be trusted.</exception>
    /// <exception cref="NpgsqlException">The server is unreachable.</exception>
    public Task<int> BuildIndexesAsync(int connections = PostgresIndexBuilds.DefaultConnections, CancellationToken cancellationToken = default)
    {
        if (!_committed)
        {
            throw new InvalidOperationException("The bulk load is not committed: its indexes are built after its commit.");
        }

        return PostgresIndexBuilds.RunPendingAsync(_dataSource, connections, cancellationToken: cancellationToken);
    }

    /// <summary>Rolls everything back, unless committed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (_current is not null)
            {
                await _current.CloseAsync();
            }
        }
        finally
        {
            // A cancel request under way must reach the backend while the load still holds it, never a statement of
            // whoever takes the connection from the pool next.
            await _cancelling;
            await _connection.DisposeAsync();
        }
    }

    /// <summary>
    /// Whether the secondary indexes are listed to be built after the commit (the list is trusted), rather than built in
    /// the load's transaction.
    /// </summary>
    public bool DefersIndexes { get; private set; }

    internal NpgsqlConnection Connection => _connection;

    internal NpgsqlTransaction Transaction => _transaction;

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Lists an index of <paramref name="table"/> to build after the commit, in the load's transaction.</summary>
    internal Task QueueIndexBuildAsync(string table, string name, string definition, CancellationToken cancellationToken)
        => _connection.ExecuteAsync(PostgresCommands.Command(
            QueueSql, new { IndexName = name, TableName = table, Definition = definition }, cancellationToken, _transaction));

    /// <summary>
    /// Asks the server to stop the statement the load's connection is running (<c>pg_cancel_backend</c>, from a
    /// connection of its own, within <see cref="CancelTimeout"/>); does not wait, but <see cref="DisposeAsync"/> does.
    /// Its statement then fails with a cancellation (57014).
    /// </summary>
    internal void CancelServerWork()
    {
        var processId = _connection.ProcessID;
        _cancelling = Task.Run(async () =>
        {
            try
            {
                using var limit = new CancellationTokenSource(CancelTimeout);
                await using var connection = await _dataSource.OpenConnectionAsync(limit.Token);
                await connection.ScalarAsync<bool>("SELECT pg_cancel_backend(@ProcessId)", new { ProcessId = processId }, limit.Token);
            }
            catch (Exception ex) when (ex is NpgsqlException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                // The server or the data source is gone, or busy past the limit: closing the load's connection ends it.
            }
        });
    }

    /// <summary>Takes <paramref name="table"/>: locks it, checks that it is empty, strips it; null, with nothing kept, otherwise.</summary>
    internal async Task<PostgresTableLoad<T>?> TryBeginAsync<T>(PostgresBulkLoadTable<T> table, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ThrowIfUnbuilt();
        try
        {
            var restore = await PostgresBulkLoadRestore.TryPrepareAsync(_connection, _transaction, table.Name, cancellationToken);
            if (restore is null)
            {
                return null;
            }

            if (table.BeforeCopySql is { } before)
            {
                await PostgresBulkLoadRestore.ExecuteAsync(_connection, before, cancellationToken);
            }

            var load = new PostgresTableLoad<T>(this, table, restore);
            _current = load;
            return load;
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>The current table must be built (its COPY ended) before the connection runs anything else.</summary>
    internal void ThrowIfUnbuilt()
    {
        if (_current is { IsBuilt: false } current)
        {
            throw new InvalidOperationException($"The bulk load of {current.Table} must be built before another table is taken or the load is committed.");
        }
    }
}

using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Npgsql;

namespace Storage.Postgres;

/// <summary>
/// Every table of the stores read as of one moment: one connection, one <c>REPEATABLE READ READ ONLY</c> transaction,
/// so the six streams agree with each other however many writers commit while they are read (an edge is never read
/// without its projects, a contribution without its contributor and asset). The stores' own streams each read on a
/// connection of their own, each as of its own moment. For an export that must load again (the rollback path).
/// </summary>
/// <remarks>
/// The streams are read one after another on the one connection: each must end (or be disposed) before the next
/// starts. Nothing is retried: a broken connection fails the read. Dispose it to end the transaction.
/// </remarks>
public sealed class PostgresSnapshotRead : IAsyncDisposable
{
    /// <summary>How long one read of a table may wait for the server, in seconds (as the stores' scans wait).</summary>
    private const int ReadTimeoutSeconds = 300;

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private PostgresSnapshotRead(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>Opens a connection of its own and takes the moment every stream reads as of.</summary>
    /// <param name="dataSource">Connections whose search path is the stores' schema.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <exception cref="NpgsqlException">The server is unreachable or refused the connection.</exception>
    public static async Task<PostgresSnapshotRead> BeginAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);

        // The snapshot is taken by the transaction's first statement, not by BEGIN: take it now.
        var (connection, transaction) = await PostgresCommands.BeginOwnAsync(
            dataSource, IsolationLevel.RepeatableRead, "SET TRANSACTION READ ONLY; SELECT 1", cancellationToken);
        return new PostgresSnapshotRead(connection, transaction);
    }

    /// <summary>The projects in key order, with their dependency counts.</summary>
    public IAsyncEnumerable<Project> StreamProjectsAsync(CancellationToken cancellationToken = default)
        => ScanAsync(GraphRows.ProjectsInKeyOrder, GraphRows.ReadProject, cancellationToken);

    /// <summary>The dependency edges in key order.</summary>
    public IAsyncEnumerable<DependencyEdge> StreamDependenciesAsync(CancellationToken cancellationToken = default)
        => ScanAsync(PostgresGraphStore.ScanEdgesSql, GraphRows.ReadEdge, cancellationToken);

    /// <summary>The contributors in key order.</summary>
    public IAsyncEnumerable<Contributor> StreamContributorsAsync(CancellationToken cancellationToken = default)
        => ScanAsync(PostgresGraphStore.ScanContributorsSql, GraphRows.ReadContributor, cancellationToken);

    /// <summary>The assets in key order, with their totals.</summary>
    public IAsyncEnumerable<Asset> StreamAssetsAsync(CancellationToken cancellationToken = default)
        => ScanAsync(PostgresGraphStore.ScanAssetsSql, GraphRows.ReadAsset, cancellationToken);

    /// <summary>The contributions in key order.</summary>
    public IAsyncEnumerable<Contribution> StreamContributionsAsync(CancellationToken cancellationToken = default)
        => ScanAsync(PostgresGraphStore.ScanContributionsSql, GraphRows.ReadContribution, cancellationToken);

    /// <summary>The agent tasks in key order.</summary>
    public IAsyncEnumerable<AgentTask> StreamTasksAsync(CancellationToken cancellationToken = default)
        => ScanAsync(PostgresAgentTaskStore.ScanSql, static r => TaskRows.Read(r, 0), cancellationToken);

    internal NpgsqlConnection Connection => _connection;

    /// <summary>Ends the transaction (it wrote nothing) and closes the connection.</summary>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async IAsyncEnumerable<T> ScanAsync<T>(string sql, Func<DbDataReader, T> map, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, _connection, _transaction) { CommandTimeout = ReadTimeoutSeconds };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return map(reader);
        }
    }
}

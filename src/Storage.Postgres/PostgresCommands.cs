using System.Data.Common;
using Dapper;
using Npgsql;

namespace Storage.Postgres;

/// <summary>Small helpers over Dapper that run one statement on an open connection and map rows by position.</summary>
internal static class PostgresCommands
{
    /// <summary>
    /// The client-side time limit of a statement that may run for minutes (a bulk load's index builds and checks):
    /// none (Npgsql's 0).
    /// </summary>
    public const int Unlimited = 0;

    /// <summary>
    /// A Dapper command carrying the cancellation token, so that cancelling it cancels the statement on the server;
    /// the connection's command timeout unless <paramref name="timeoutSeconds"/> says otherwise.
    /// </summary>
    public static CommandDefinition Command(
        string sql, object? parameters, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null, int? timeoutSeconds = null)
        => new(sql, parameters, transaction, timeoutSeconds, cancellationToken: cancellationToken);

    /// <summary>
    /// Opens a connection of its own and begins a transaction on it at <paramref name="isolation"/>, then runs
    /// <paramref name="setupSql"/> in it (settings, and the transaction's snapshot, which its first statement takes);
    /// the connection is closed again when any of that fails.
    /// </summary>
    public static async Task<(NpgsqlConnection Connection, NpgsqlTransaction Transaction)> BeginOwnAsync(
        NpgsqlDataSource dataSource, System.Data.IsolationLevel isolation, string setupSql, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(isolation, cancellationToken);
            await connection.ExecuteAsync(Command(setupSql, null, cancellationToken, transaction));
            return (connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a query and maps every row.</summary>
    public static async Task<List<T>> ListAsync<T>(
        this NpgsqlConnection connection, string sql, object? parameters, Func<DbDataReader, T> map, CancellationToken cancellationToken,
        NpgsqlTransaction? transaction = null, int? timeoutSeconds = null)
    {
        await using var reader = await connection.ExecuteReaderAsync(Command(sql, parameters, cancellationToken, transaction, timeoutSeconds));
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    /// <summary>Runs a query and maps its first row, or returns null.</summary>
    public static async Task<T?> FirstOrNullAsync<T>(
        this NpgsqlConnection connection, string sql, object? parameters, Func<DbDataReader, T> map, CancellationToken cancellationToken)
        where T : class
    {
        await using var reader = await connection.ExecuteReaderAsync(Command(sql, parameters, cancellationToken));
        return await reader.ReadAsync(cancellationToken) ? map(reader) : null;
    }

    /// <summary>Runs a query and returns the first column of its first row.</summary>
    public static async Task<T> ScalarAsync<T>(this NpgsqlConnection connection, string sql, object? parameters, CancellationToken cancellationToken)
        => (await connection.ExecuteScalarAsync<T>(Command(sql, parameters, cancellationToken)))!;
}

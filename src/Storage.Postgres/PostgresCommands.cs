using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using Npgsql;

namespace Storage.Postgres;

/// <summary>Small helpers over Dapper that every store uses: run a query on a pooled connection and map rows by position.</summary>
internal static class PostgresCommands
{
    /// <summary>A Dapper command carrying the cancellation token.</summary>
    public static CommandDefinition Command(string sql, object? parameters, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
        => new(sql, parameters, transaction, cancellationToken: cancellationToken);

    /// <summary>Runs a query and maps every row.</summary>
    public static async Task<List<T>> ListAsync<T>(
        this NpgsqlConnection connection, string sql, object? parameters, Func<DbDataReader, T> map, CancellationToken cancellationToken,
        NpgsqlTransaction? transaction = null)
    {
        await using var reader = await connection.ExecuteReaderAsync(Command(sql, parameters, cancellationToken, transaction));
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    /// <summary>Runs a query on a connection from the pool and maps every row.</summary>
    public static async Task<List<T>> ListAsync<T>(
        this NpgsqlDataSource dataSource, string sql, object? parameters, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ListAsync(sql, parameters, map, cancellationToken);
    }

    /// <summary>Runs a query on a connection from the pool and maps its first row, or returns null.</summary>
    public static async Task<T?> FirstOrNullAsync<T>(
        this NpgsqlDataSource dataSource, string sql, object? parameters, Func<DbDataReader, T> map, CancellationToken cancellationToken)
        where T : class
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(Command(sql, parameters, cancellationToken));
        return await reader.ReadAsync(cancellationToken) ? map(reader) : null;
    }

    /// <summary>Runs a statement on a connection from the pool; returns the number of rows it changed.</summary>
    public static async Task<int> ExecuteAsync(this NpgsqlDataSource dataSource, string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(Command(sql, parameters, cancellationToken));
    }

    /// <summary>Runs a query on a connection from the pool and returns its first column of its first row.</summary>
    public static async Task<T> ScalarAsync<T>(this NpgsqlDataSource dataSource, string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.ExecuteScalarAsync<T>(Command(sql, parameters, cancellationToken)))!;
    }

    /// <summary>
    /// Keyset pagination: <paramref name="first"/> reads the first page, <paramref name="next"/> the page after the
    /// last item read; a page shorter than <paramref name="pageSize"/> is the last.
    /// </summary>
    public static async IAsyncEnumerable<T> StreamAsync<T>(
        NpgsqlDataSource dataSource,
        int pageSize,
        (string Sql, object Parameters) first,
        Func<T, (string Sql, object Parameters)> next,
        Func<DbDataReader, T> map,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (sql, parameters) = first;
        while (true)
        {
            var rows = await dataSource.ListAsync(sql, parameters, map, cancellationToken);
            foreach (var row in rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return row;
            }

            if (rows.Count < pageSize)
            {
                yield break;
            }

            (sql, parameters) = next(rows[^1]);
        }
    }
}

using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using Npgsql;
using static Storage.Postgres.PostgresCommands;

namespace Storage.Postgres;

/// <summary>
/// Runs the stores' statements on pooled connections under <see cref="PostgresResilience"/>. The method a store
/// calls says whether the statement is safe to repeat: <see cref="ListAsync"/>, <see cref="FirstOrNullAsync"/>,
/// <see cref="ScalarAsync"/>, <see cref="ExecuteIdempotentAsync"/> and <see cref="StreamAsync"/> are retried as a
/// whole; the <c>...OnceAsync</c> methods send their statement once (retried only when the server rolled it back);
/// <see cref="InTransactionAsync"/> retries a whole transaction (the imports).
/// </summary>
internal sealed partial class PostgresExecutor(NpgsqlDataSource dataSource, PostgresResilience resilience)
{
    /// <summary>Runs a query that is safe to repeat and maps every row.</summary>
    public Task<List<T>> ListAsync<T>(string sql, object? parameters, Func<DbDataReader, T> map, CancellationToken cancellationToken)
        => RepeatableAsync(static (c, s, ct) => c.ListAsync(s.sql, s.parameters, s.map, ct), (sql, parameters, map), cancellationToken);

    /// <summary>Runs a query that is safe to repeat and maps its first row, or returns null.</summary>
    public Task<T?> FirstOrNullAsync<T>(string sql, object? parameters, Func<DbDataReader, T> map, CancellationToken cancellationToken)
        where T : class
        => RepeatableAsync(static (c, s, ct) => c.FirstOrNullAsync(s.sql, s.parameters, s.map, ct), (sql, parameters, map), cancellationToken);

    /// <summary>Runs a query that is safe to repeat and returns the first column of its first row.</summary>
    public Task<T> ScalarAsync<T>(string sql, object? parameters, CancellationToken cancellationToken)
        => RepeatableAsync(static (c, s, ct) => c.ScalarAsync<T>(s.sql, s.parameters, ct), (sql, parameters), cancellationToken);

    /// <summary>Runs a statement whose effect is the same however often it runs; returns the rows it changed (on its last run).</summary>
    public Task<int> ExecuteIdempotentAsync(string sql, object? parameters, CancellationToken cancellationToken)
        => RepeatableAsync(static (c, s, ct) => c.ExecuteAsync(Command(s.sql, s.parameters, ct)), (sql, parameters), cancellationToken);

    /// <summary>A statement that writes and is not safe to repeat, mapping every row it returns.</summary>
    public Task<List<T>> ListOnceAsync<T>(string sql, object? parameters, Func<DbDataReader, T> map, CancellationToken cancellationToken)
        => OnceAsync(static (c, s, ct) => c.ListAsync(s.sql, s.parameters, s.map, ct), (sql, parameters, map), cancellationToken);

    /// <summary>A statement that writes and is not safe to repeat, mapping the first row it returns.</summary>
    public Task<T?> FirstOrNullOnceAsync<T>(string sql, object? parameters, Func<DbDataReader, T> map, CancellationToken cancellationToken)
        where T : class
        => OnceAsync(static (c, s, ct) => c.FirstOrNullAsync(s.sql, s.parameters, s.map, ct), (sql, parameters, map), cancellationToken);

    /// <summary>A statement that writes and is not safe to repeat; returns the rows it changed.</summary>
    public Task<int> ExecuteOnceAsync(string sql, object? parameters, CancellationToken cancellationToken)
        => OnceAsync(static (c, s, ct) => c.ExecuteAsync(Command(s.sql, s.parameters, ct)), (sql, parameters), cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction, committing when it returns; the whole transaction is run again
    /// after a transient failure, so <paramref name="work"/> must be idempotent (the imports are).
    /// </summary>
    public async Task InTransactionAsync(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task> work, CancellationToken cancellationToken)
        => await resilience.Imports.ExecuteAsync(
            static async (state, ct) =>
            {
                try
                {
                    await using var connection = await state.dataSource.OpenConnectionAsync(ct);
                    await using var transaction = await connection.BeginTransactionAsync(ct);
                    await state.work(connection, transaction, ct);
                    await transaction.CommitAsync(ct);
                }
                catch (Exception ex) when (PostgresResilience.IsBrokenConnection(ex))
                {
                    state.dataSource.Clear();
                    throw;
                }
            },
            (dataSource, work),
            cancellationToken);

    /// <summary>
    /// Runs the append path of an import (<see cref="PostgresImport.AppendAsync"/>) in a transaction, committing when
    /// <paramref name="work"/> returns true, and running it again after a transient failure. Returns false, having
    /// written nothing, when <paramref name="work"/> returns false or a unique or foreign-key violation refused the
    /// rows: the caller then takes the checked merge path, which reports the conflict or the missing record.
    /// </summary>
    public async Task<bool> TryAppendAsync(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<bool>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await resilience.Idempotent.ExecuteAsync(
                static async (state, ct) =>
                {
                    try
                    {
                        await using var connection = await state.dataSource.OpenConnectionAsync(ct);
                        await using var transaction = await connection.BeginTransactionAsync(ct);
                        if (!await state.work(connection, transaction, ct))
                        {
                            return false;
                        }

                        await transaction.CommitAsync(ct);
                        return true;
                    }
                    catch (Exception ex) when (PostgresResilience.IsBrokenConnection(ex))
                    {
                        state.dataSource.Clear();
                        throw;
                    }
                },
                (dataSource, work),
                cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ForeignKeyViolation)
        {
            return false;
        }
    }

    /// <summary>
    /// Keyset pagination: <paramref name="first"/> reads the first page, <paramref name="next"/> the page after the
    /// last item read; a page shorter than <paramref name="pageSize"/> is the last. Each page is a query of its own,
    /// retried on its own, on a connection held only while the page is read.
    /// </summary>
    public async IAsyncEnumerable<T> StreamAsync<T>(
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
            var rows = await ListAsync(sql, parameters, map, cancellationToken);
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

    /// <summary>Each attempt takes a connection from the pool, runs the statement and reads its result.</summary>
    private async Task<TResult> RepeatableAsync<TState, TResult>(
        Func<NpgsqlConnection, TState, CancellationToken, Task<TResult>> run, TState state, CancellationToken cancellationToken)
        => await resilience.Idempotent.ExecuteAsync(
            static async ValueTask<TResult> (s, ct) =>
            {
                try
                {
                    await using var connection = await s.dataSource.OpenConnectionAsync(ct);
                    return await s.run(connection, s.state, ct);
                }
                catch (Exception ex) when (PostgresResilience.IsBrokenConnection(ex))
                {
                    s.dataSource.Clear();
                    throw;
                }
            },
            (dataSource, run, state),
            cancellationToken);

    /// <summary>
    /// Opening the connection is retried like a read (nothing has been sent yet); the statement is sent again only
    /// after a deadlock or serialization failure, which the server reports once it has rolled the statement back.
    /// </summary>
    private async Task<TResult> OnceAsync<TState, TResult>(
        Func<NpgsqlConnection, TState, CancellationToken, Task<TResult>> run, TState state, CancellationToken cancellationToken)
    {
        await using var connection = await resilience.Idempotent.ExecuteAsync(
            static async ValueTask<NpgsqlConnection> (source, ct) =>
            {
                try
                {
                    return await source.OpenConnectionAsync(ct);
                }
                catch (Exception ex) when (PostgresResilience.IsBrokenConnection(ex))
                {
                    source.Clear();
                    throw;
                }
            },
            dataSource,
            cancellationToken);
        return await resilience.RolledBack.ExecuteAsync(
            static async ValueTask<TResult> (s, ct) =>
            {
                try
                {
                    return await s.run(s.connection, s.state, ct);
                }
                catch (Exception ex) when (PostgresResilience.IsBrokenConnection(ex))
                {
                    s.dataSource.Clear();
                    throw;
                }
            },
            (dataSource, connection, run, state),
            cancellationToken);
    }
}

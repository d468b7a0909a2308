using System.Data.Common;
using System.Runtime.CompilerServices;
using Npgsql;

namespace Storage.Postgres;

internal sealed partial class PostgresExecutor
{
    /// <summary>
    /// How long one read of a whole-table scan may wait for the server, in seconds: the scan is one statement, so the
    /// command timeout of a page (30 s by default) is not the right bound for it.
    /// </summary>
    private const int ScanTimeoutSeconds = 300;

    /// <summary>
    /// Streams a whole table in key order as one query (<paramref name="scanSql"/>, a <c>SELECT … ORDER BY key</c>
    /// without a limit) whose rows are read as they arrive, on one connection held until the stream ends or is
    /// disposed: no page round trips, no statement per page. Opening it is retried like a read. When the scan fails
    /// transiently part-way (a dropped connection, a restarted server), the failure is logged as a retry and the rest
    /// is read with keyset pages after the last row yielded (<see cref="StreamAsync"/>, each page retried on its own),
    /// so every row comes once, in order.
    /// </summary>
    public async IAsyncEnumerable<T> ScanAsync<T>(
        string scanSql,
        int pageSize,
        (string Sql, object Parameters) first,
        Func<T, (string Sql, object Parameters)> next,
        Func<DbDataReader, T> map,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (connection, command, reader) = await resilience.Idempotent.ExecuteAsync(
            static async ValueTask<(NpgsqlConnection, NpgsqlCommand, NpgsqlDataReader)> (s, ct) =>
            {
                NpgsqlConnection? opened = null;
                try
                {
                    opened = await s.dataSource.OpenConnectionAsync(ct);
                    var query = new NpgsqlCommand(s.scanSql, opened) { CommandTimeout = ScanTimeoutSeconds };
                    return (opened, query, await query.ExecuteReaderAsync(ct));
                }
                catch (Exception ex)
                {
                    if (opened is not null)
                    {
                        await opened.DisposeAsync();
                    }

                    if (PostgresResilience.IsBrokenConnection(ex))
                    {
                        s.dataSource.Clear();
                    }

                    throw;
                }
            },
            (dataSource, scanSql),
            cancellationToken);

        Exception? failure = null;
        var ended = false;
        T? last = default;
        var any = false;
        try
        {
            while (true)
            {
                T row;
                try
                {
                    if (!await reader.ReadAsync(cancellationToken))
                    {
                        ended = true;
                        break;
                    }

                    row = map(reader);
                }
                catch (Exception ex) when (resilience.MaxRetryAttempts > 0 && !cancellationToken.IsCancellationRequested && PostgresResilience.IsTransient(ex))
                {
                    failure = ex;
                    break;
                }

                cancellationToken.ThrowIfCancellationRequested();
                (last, any) = (row, true);
                yield return row;
            }
        }
        finally
        {
            await CloseAsync(connection, command, reader, stopFirst: !ended && failure is null);
        }

        if (failure is null)
        {
            yield break;
        }

        if (PostgresResilience.IsBrokenConnection(failure))
        {
            dataSource.Clear();
        }

        resilience.LogStreamRetry(failure);
        await foreach (var row in StreamAsync(pageSize, any ? next(last!) : first, next, map, cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>
    /// Closes a scan. One stopped before its end (the caller disposed the stream, or it failed) is cancelled on the
    /// server first, so closing it does not read the rest of the table.
    /// </summary>
    private static async ValueTask CloseAsync(NpgsqlConnection connection, NpgsqlCommand command, NpgsqlDataReader reader, bool stopFirst)
    {
        try
        {
            if (stopFirst)
            {
                command.Cancel();
            }

            await reader.DisposeAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or InvalidOperationException)
        {
            // The scan was cancelled or its connection is gone: nothing is left to read on it.
        }
        finally
        {
            await command.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}

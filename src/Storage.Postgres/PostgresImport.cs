using System.Data.Common;
using Npgsql;

namespace Storage.Postgres;

/// <summary>
/// The bulk-load paths of the imports. A batch whose keys all sort after the last key stored is appended: copied
/// (binary COPY) straight into its table (<see cref="AppendAsync"/>; a backfill writes each kind in key order, so
/// every batch of it takes this path). Any other batch is copied into a temporary table, checked there, then merged
/// with INSERT ... ON CONFLICT. Either is one transaction (<see cref="PostgresExecutor.InTransactionAsync"/>,
/// <see cref="PostgresExecutor.TryAppendAsync"/>).
/// </summary>
/// <remarks>
/// An import reads neither the clock nor the id generator and writes records exactly as given, so running it again
/// (after a transient failure, or after a concurrent writer made its check stale and a constraint failed the
/// transaction) is safe: see <see cref="PostgresResilience.Imports"/>.
/// </remarks>
internal static class PostgresImport
{
    /// <summary>Above this many rows the temporary table is analyzed before it is joined.</summary>
    private const int AnalyzeThreshold = 1_000;

    /// <summary>
    /// Copies <paramref name="rows"/> with <paramref name="copySql"/> (COPY ... FROM STDIN (FORMAT BINARY)), one row per
    /// item, then runs <paramref name="analyzeSql"/> (ANALYZE of the temporary table) when the batch is large.
    /// </summary>
    public static async Task CopyAsync<T>(
        NpgsqlConnection connection,
        string copySql,
        string analyzeSql,
        IReadOnlyList<T> rows,
        Action<PostgresCopyWriter, T, int> writeRow,
        CancellationToken cancellationToken)
    {
        await CopyRowsAsync(connection, copySql, rows, writeRow, cancellationToken);
        if (rows.Count > AnalyzeThreshold)
        {
            // Temporary tables have no statistics until analyzed; the checks and the merge join them to big tables.
            await using var analyze = new NpgsqlCommand(analyzeSql, connection);
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Copies <paramref name="rows"/> with <paramref name="copySql"/> (COPY ... FROM STDIN (FORMAT BINARY)), one row per item.</summary>
    public static async Task CopyRowsAsync<T>(
        NpgsqlConnection connection,
        string copySql,
        IReadOnlyList<T> rows,
        Action<PostgresCopyWriter, T, int> writeRow,
        CancellationToken cancellationToken)
    {
        await using var writer = await PostgresCopyWriter.BeginAsync(connection, copySql, timeout: null, cancellationToken);
        for (var i = 0; i < rows.Count; i++)
        {
            writer.StartRow();
            writeRow(writer, rows[i], i);
            await writer.EndRowAsync(cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// The append path of an import: when every key of <paramref name="rows"/> sorts after the last key stored in the
    /// table (<paramref name="lastKeySql"/>, one row or none), no stored row can conflict with the batch, so its rows are
    /// copied straight into the table (<paramref name="copySql"/>), without a temporary table, checks or merge. That is
    /// the shape of a backfill, which writes each kind in key order into an empty or partly filled table. Returns false,
    /// having written nothing, when a key does not sort after the last one (the caller takes the merge path).
    /// </summary>
    /// <remarks>
    /// A row written concurrently with the same key, a duplicate email or a dangling reference fails the COPY with a
    /// unique or foreign-key violation; <see cref="PostgresExecutor.TryAppendAsync"/> then reports false too, and the
    /// merge path names the problem as the import contract says.
    /// </remarks>
    public static async Task<bool> AppendAsync<T, TKey>(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string lastKeySql,
        Func<DbDataReader, TKey> readKey,
        Func<T, TKey> key,
        Comparison<TKey> compare,
        string copySql,
        IReadOnlyList<T> rows,
        Action<PostgresCopyWriter, T, int> writeRow,
        CancellationToken cancellationToken)
    {
        var last = await connection.ListAsync(lastKeySql, null, readKey, cancellationToken, transaction);
        if (last.Count > 0)
        {
            var stored = last[0];
            for (var i = 0; i < rows.Count; i++)
            {
                if (compare(key(rows[i]), stored) <= 0)
                {
                    return false;
                }
            }
        }

        await CopyRowsAsync(connection, copySql, rows, writeRow, cancellationToken);
        return true;
    }
}

using Npgsql;
using NpgsqlTypes;

namespace Storage.Postgres;

/// <summary>
/// The bulk-load path of the imports: rows are copied (binary COPY) into a temporary table, checked there, then
/// merged with INSERT ... ON CONFLICT, all in one transaction (<see cref="PostgresExecutor.InTransactionAsync"/>).
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
        Func<NpgsqlBinaryImporter, T, int, CancellationToken, Task> writeRow,
        CancellationToken cancellationToken)
    {
        await using (var importer = await connection.BeginBinaryImportAsync(copySql, cancellationToken))
        {
            for (var i = 0; i < rows.Count; i++)
            {
                await importer.StartRowAsync(cancellationToken);
                await writeRow(importer, rows[i], i, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        if (rows.Count > AnalyzeThreshold)
        {
            // Temporary tables have no statistics until analyzed; the checks and the merge join them to big tables.
            await using var analyze = new NpgsqlCommand(analyzeSql, connection);
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public static Task TextAsync(this NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken)
        => value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    public static Task TimeAsync(this NpgsqlBinaryImporter importer, DateTimeOffset? value, CancellationToken cancellationToken)
        => value is { } v ? importer.WriteAsync(v, NpgsqlDbType.TimestampTz, cancellationToken) : importer.WriteNullAsync(cancellationToken);

    public static Task UuidAsync(this NpgsqlBinaryImporter importer, Guid value, CancellationToken cancellationToken)
        => importer.WriteAsync(value, NpgsqlDbType.Uuid, cancellationToken);

    public static Task NumericAsync(this NpgsqlBinaryImporter importer, decimal value, CancellationToken cancellationToken)
        => importer.WriteAsync(value, NpgsqlDbType.Numeric, cancellationToken);

    public static Task IntegerAsync(this NpgsqlBinaryImporter importer, int value, CancellationToken cancellationToken)
        => importer.WriteAsync(value, NpgsqlDbType.Integer, cancellationToken);
}

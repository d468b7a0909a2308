using Npgsql;
using NpgsqlTypes;
using Polly;
using Polly.Retry;

namespace Storage.Postgres;

/// <summary>
/// The bulk-load path of the imports: rows are copied (binary COPY) into a temporary table, checked there, then
/// merged with INSERT ... ON CONFLICT, all in one transaction.
/// </summary>
internal static class PostgresImport
{
    /// <summary>Above this many rows the temporary table is analyzed before it is joined.</summary>
    private const int AnalyzeThreshold = 1_000;

    /// <summary>
    /// Imports check references before writing, without locking what they checked. A concurrent writer can still
    /// win the race (a project deleted, an email taken between check and write): the constraint then fails the
    /// transaction, which is retried, so the next check reports the proper not-found or conflict error. Deadlocks and
    /// serialization failures are retried the same way. An import reads neither the clock nor the id generator, so
    /// running it again is safe.
    /// </summary>
    private static readonly ResiliencePipeline Retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<PostgresException>(ex => ex.SqlState is
                PostgresErrorCodes.ForeignKeyViolation or
                PostgresErrorCodes.UniqueViolation or
                PostgresErrorCodes.DeadlockDetected or
                PostgresErrorCodes.SerializationFailure),
            MaxRetryAttempts = 3,
            Delay = TimeSpan.FromMilliseconds(20),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        })
        .Build();

    /// <summary>Runs <paramref name="work"/> in a transaction on a pooled connection, committing when it returns.</summary>
    public static async Task RunAsync(
        NpgsqlDataSource dataSource,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task> work,
        CancellationToken cancellationToken)
        => await Retry.ExecuteAsync(
            static async (state, ct) =>
            {
                await using var connection = await state.dataSource.OpenConnectionAsync(ct);
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await state.work(connection, transaction, ct);
                await transaction.CommitAsync(ct);
            },
            (dataSource, work),
            cancellationToken);

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

using Npgsql;

namespace Storage.Postgres;

/// <summary>
/// The start of a table's bulk load (<see cref="PostgresTableLoad{T}"/>): the table locked, found empty, and stripped of what
/// a load would maintain row by row; with the statements that put it back. The definitions are read from the catalog
/// (<c>pg_get_indexdef</c>, <c>pg_get_constraintdef</c>), so whatever the migrations made is rebuilt as it was.
/// </summary>
internal sealed class PostgresBulkLoadRestore
{
    /// <summary>How long a load waits for the table's lock before it gives up and leaves the table to the batch imports.</summary>
    public const string LockTimeout = "2s";

    // Indexes that belong to no constraint of the table: the primary key's and the unique constraints' are not listed.
    private const string IndexesSql = """
        SELECT format('DROP INDEX %I.%I', n.nspname, c.relname), pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE i.indrelid = @table::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = i.indrelid AND k.conindid = i.indexrelid)
        ORDER BY c.relname
        """;

    // Foreign keys and unique constraints (checks and the primary key stay): unique ones first, as the migrations make them.
    private const string ConstraintsSql = """
        SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', k.conrelid::regclass, k.conname),
               format('ALTER TABLE %s ADD CONSTRAINT %I %s', k.conrelid::regclass, k.conname, pg_get_constraintdef(k.oid))
        FROM pg_constraint k
        WHERE k.conrelid = @table::regclass AND k.contype IN ('u', 'f')
        ORDER BY k.contype DESC, k.conname
        """;

    private PostgresBulkLoadRestore(List<string> addConstraints, List<string> createIndexes)
    {
        AddConstraints = addConstraints;
        CreateIndexes = createIndexes;
    }

    /// <summary><c>ALTER TABLE … ADD CONSTRAINT</c> of every dropped constraint.</summary>
    public IReadOnlyList<string> AddConstraints { get; }

    /// <summary><c>CREATE INDEX</c> of every dropped index.</summary>
    public IReadOnlyList<string> CreateIndexes { get; }

    /// <summary>
    /// In the bulk load's transaction: locks <paramref name="table"/>, and when it is empty drops its secondary indexes
    /// and its foreign keys and unique constraints. Returns null when the lock was not granted in time or the table
    /// holds a row; the lock is then released again (the work is undone to a savepoint), and nothing has changed.
    /// </summary>
    public static async Task<PostgresBulkLoadRestore?> TryPrepareAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string table, CancellationToken cancellationToken)
    {
        const string savepoint = "bulk_load_take";
        await transaction.SaveAsync(savepoint, cancellationToken);
        await ExecuteAsync(connection, $"SET LOCAL lock_timeout = '{LockTimeout}'", cancellationToken);
        try
        {
            await ExecuteAsync(connection, $"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE", cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            await transaction.RollbackAsync(savepoint, cancellationToken);
            return null;
        }

        bool any;
        await using (var command = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {table})", connection))
        {
            any = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        if (any)
        {
            await transaction.RollbackAsync(savepoint, cancellationToken);
            return null;
        }

        // Index builds sort in memory up to maintenance_work_mem; the default (64MB) spills a million rows to disk.
        await ExecuteAsync(connection, "SET LOCAL lock_timeout = 0; SET LOCAL statement_timeout = 0; SET LOCAL maintenance_work_mem = '256MB'", cancellationToken);
        var constraints = await PairsAsync(connection, ConstraintsSql, table, cancellationToken);
        var indexes = await PairsAsync(connection, IndexesSql, table, cancellationToken);
        foreach (var (drop, _) in constraints.Concat(indexes))
        {
            await ExecuteAsync(connection, drop, cancellationToken);
        }

        await transaction.ReleaseAsync(savepoint, cancellationToken);
        return new([.. constraints.Select(c => c.Restore)], [.. indexes.Select(i => i.Restore)]);
    }

    private static async Task<List<(string Drop, string Restore)>> PairsAsync(NpgsqlConnection connection, string sql, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("table", table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var pairs = new List<(string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            pairs.Add((reader.GetString(0), reader.GetString(1)));
        }

        return pairs;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

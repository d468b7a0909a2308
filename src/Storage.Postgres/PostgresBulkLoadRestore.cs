using System.Data.Common;
using Dapper;
using Npgsql;
using static Storage.Postgres.PostgresCommands;

namespace Storage.Postgres;

/// <summary>
/// The start of a table's bulk load (<see cref="PostgresTableLoad{T}"/>): the table found empty and owned, locked, and stripped of what
/// a load would maintain row by row; with the statements that put it back. The definitions are read from the catalog
/// (<c>pg_get_indexdef</c>, <c>pg_get_constraintdef</c>), so whatever the migrations made is rebuilt as it was.
/// </summary>
internal sealed class PostgresBulkLoadRestore
{
    /// <summary>
    /// How long a load waits for the locks of a table and of the tables it references before it gives up and leaves the
    /// table to the batch imports.
    /// </summary>
    public const string LockTimeout = "2s";

    // Indexes that belong to no constraint of the table: the primary key's and the unique constraints' are not listed.
    private const string IndexesSql = """
        SELECT format('DROP INDEX %I.%I', n.nspname, c.relname), pg_get_indexdef(i.indexrelid), c.relname
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

    private const string QualifiedSql = """
        SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = @table::regclass
        """;

    // Schema changes (dropping an index or a constraint, ANALYZE) need the table's owner, or a member of its role.
    private const string OwnedSql = "SELECT pg_has_role(c.relowner, 'USAGE') FROM pg_class c WHERE c.oid = @table::regclass";

    // The tables the foreign keys point at: dropping a foreign key locks them too, so they are locked with the table.
    private const string ReferencedSql = """
        SELECT DISTINCT k.confrelid::regclass::text FROM pg_constraint k WHERE k.conrelid = @table::regclass AND k.contype = 'f'
        """;

    private PostgresBulkLoadRestore(List<string> addConstraints, List<(string Name, string Definition)> createIndexes)
    {
        AddConstraints = addConstraints;
        CreateIndexes = createIndexes;
    }

    /// <summary><c>ALTER TABLE … ADD CONSTRAINT</c> of every dropped constraint.</summary>
    public IReadOnlyList<string> AddConstraints { get; }

    /// <summary>The name and <c>CREATE INDEX</c> of every dropped index.</summary>
    public IReadOnlyList<(string Name, string Definition)> CreateIndexes { get; }

    /// <summary>
    /// In the bulk load's transaction: when <paramref name="table"/> is empty and this role owns it (schema changes
    /// need ownership), locks it and the tables its foreign keys reference within <see cref="LockTimeout"/>, checks again
    /// that it is empty, and drops its secondary indexes and its foreign keys and unique constraints. Returns null when
    /// the table holds a row, is not this role's, or is not free in time; then nothing has changed and no lock is kept
    /// (the work is undone to a savepoint).
    /// </summary>
    public static async Task<PostgresBulkLoadRestore?> TryPrepareAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string table, CancellationToken cancellationToken)
    {
        // An unlocked look first: a table that holds rows, or that this role may only read and write, is left alone
        // without queueing for its lock (which would hold up other sessions' reads behind the queue).
        if (await AnyRowAsync(connection, table, cancellationToken) || !await connection.ScalarAsync<bool>(OwnedSql, new { table }, cancellationToken))
        {
            return null;
        }

        const string savepoint = "bulk_load_take";
        await transaction.SaveAsync(savepoint, cancellationToken);
        try
        {
            await ExecuteAsync(connection, $"SET LOCAL lock_timeout = '{LockTimeout}'", cancellationToken);
            var tables = string.Join(", ", [table, .. await connection.ListAsync(ReferencedSql, new { table }, r => r.GetString(0), cancellationToken)]);
            await ExecuteAsync(connection, $"LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE", cancellationToken);
            if (await AnyRowAsync(connection, table, cancellationToken))
            {
                await UndoAsync(transaction, savepoint, cancellationToken);
                return null;
            }

            // Every lock is held: nothing below waits. Index builds sort in memory up to maintenance_work_mem; the
            // default (64MB) spills a million rows to disk.
            await ExecuteAsync(connection, "SET LOCAL lock_timeout = 0; SET LOCAL statement_timeout = 0; SET LOCAL maintenance_work_mem = '256MB'", cancellationToken);

            // Definitions read with an empty search path name every object with its schema (an operator class in
            // pg_trgm's schema, a referenced table), so they mean the same on a connection with another search path:
            // the index builds after the commit may run on one (PostgresIndexBuilds).
            var searchPath = await connection.ScalarAsync<string>("SELECT current_setting('search_path')", null, cancellationToken);
            var qualified = await connection.ScalarAsync<string>(QualifiedSql, new { table }, cancellationToken);
            await connection.ScalarAsync<string>("SELECT set_config('search_path', '', true)", null, cancellationToken);
            var constraints = await connection.ListAsync(ConstraintsSql, new { table = qualified }, Pair, cancellationToken);
            var indexes = await connection.ListAsync(IndexesSql, new { table = qualified }, r => (Drop: r.GetString(0), Name: r.GetString(2), Definition: r.GetString(1)), cancellationToken);
            await connection.ScalarAsync<string>("SELECT set_config('search_path', @SearchPath, true)", new { SearchPath = searchPath }, cancellationToken);
            foreach (var drop in constraints.Select(c => c.Drop).Concat(indexes.Select(i => i.Drop)))
            {
                await ExecuteAsync(connection, drop, cancellationToken);
            }

            await transaction.ReleaseAsync(savepoint, cancellationToken);
            return new([.. constraints.Select(c => c.Restore)], [.. indexes.Select(i => (i.Name, i.Definition))]);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.DeadlockDetected
            or PostgresErrorCodes.InsufficientPrivilege)
        {
            await UndoAsync(transaction, savepoint, cancellationToken);
            return null;
        }
    }

    private static async Task UndoAsync(NpgsqlTransaction transaction, string savepoint, CancellationToken cancellationToken)
    {
        await transaction.RollbackAsync(savepoint, cancellationToken);
        await transaction.ReleaseAsync(savepoint, cancellationToken);
    }

    private static Task<bool> AnyRowAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
        => connection.ScalarAsync<bool>($"SELECT EXISTS (SELECT 1 FROM {table})", null, cancellationToken);

    private static (string Drop, string Restore) Pair(DbDataReader reader) => (reader.GetString(0), reader.GetString(1));

    /// <summary>Runs one statement of the load (a lock waits at most <see cref="LockTimeout"/>; the drops do not wait).</summary>
    internal static Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
        => connection.ExecuteAsync(Command(sql, null, cancellationToken, timeoutSeconds: Unlimited));
}

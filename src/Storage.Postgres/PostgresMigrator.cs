using Dapper;
using Npgsql;

namespace Storage.Postgres;

/// <summary>
/// Applies the embedded migrations (<see cref="PostgresMigration.All"/>) to a schema: pending scripts run in
/// version order in one transaction and are recorded in <c>schema_migrations</c>. A transaction-level advisory
/// lock per schema serializes concurrent runners, so each script runs once. Needs a role that may create the
/// schema, its objects and (once per database) the <c>pg_trgm</c> extension, which is created in schema
/// <c>public</c> when the database lacks it (an existing installation in any schema is used as it is). The stores
/// themselves need DML only.
/// </summary>
/// <remarks>Thread safety: the methods are safe to call concurrently, from one process or many.</remarks>
public static class PostgresMigrator
{
    private const string MigrationsLockPrefix = "storage.migrations:";
    private const string ExtensionLock = "storage.extension:pg_trgm";

    private const string AppliedSql = """
        SELECT version FROM schema_migrations ORDER BY version
        """;

    private const string TableExistsSql = """
        SELECT to_regclass(format('%I.schema_migrations', @Schema)) IS NOT NULL
        """;

    private const string LockSql = "SELECT pg_advisory_xact_lock(hashtextextended(@Key, 0))";

    private const string SchemaExistsSql = "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @Schema)";

    private const string ExtensionSchemaSql = """
        SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'
        """;

    private const string CreateExtensionSql = "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public";

    private const string SearchPathSql = "SELECT set_config('search_path', format('%I, %I', @Schema, @ExtensionSchema), true)";

    private const string CreateTableSql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer PRIMARY KEY,
            name       text NOT NULL,
            applied_at timestamptz NOT NULL
        )
        """;

    private const string RecordSql = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)";

    /// <summary>Applies every pending migration to <paramref name="schema"/> (created when missing).</summary>
    /// <param name="dataSource">Where to connect; its own search path does not matter.</param>
    /// <param name="schema">A simple lower-case identifier, for example <c>storage</c>.</param>
    /// <param name="cancellationToken">Cancels the run; nothing is applied then.</param>
    /// <returns>The versions this call applied, in order; empty when the schema was up to date.</returns>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a simple identifier.</exception>
    public static Task<IReadOnlyList<int>> ApplyAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken = default)
        => ApplyAsync(dataSource, schema, TimeProvider.System, int.MaxValue, cancellationToken);

    /// <summary>Applies the pending migrations up to <paramref name="targetVersion"/>, recording times from <paramref name="timeProvider"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a simple identifier.</exception>
    public static async Task<IReadOnlyList<int>> ApplyAsync(
        NpgsqlDataSource dataSource, string schema, TimeProvider timeProvider, int targetVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(timeProvider);
        PostgresIdentifier.Require(schema, nameof(schema));
        cancellationToken.ThrowIfCancellationRequested();
        var wanted = PostgresMigration.All.Where(m => m.Version <= targetVersion).ToArray();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // Fast path, without locks or DDL privileges: everything wanted is already recorded.
        if (await connection.ExecuteScalarAsync<bool>(Command(TableExistsSql, new { Schema = schema }, cancellationToken)))
        {
            await using var readTransaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(Command(SearchPathSql, new { Schema = schema, ExtensionSchema = schema }, cancellationToken, readTransaction));
            var recorded = (await connection.QueryAsync<int>(Command(AppliedSql, null, cancellationToken, readTransaction))).ToHashSet();
            await readTransaction.CommitAsync(cancellationToken);
            if (wanted.All(m => recorded.Contains(m.Version)))
            {
                return [];
            }
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Waits as long as another runner needs (no command timeout); the cancellation token still applies.
        await connection.ExecuteAsync(Command(LockSql, new { Key = MigrationsLockPrefix + schema }, cancellationToken, transaction, commandTimeout: 0));
        if (!await connection.ExecuteScalarAsync<bool>(Command(SchemaExistsSql, new { Schema = schema }, cancellationToken, transaction)))
        {
            // The schema name cannot be a parameter; it is a checked simple identifier (PostgresIdentifier).
            await connection.ExecuteAsync(Command("CREATE SCHEMA " + PostgresIdentifier.Quote(schema), null, cancellationToken, transaction));
        }

        var extensionSchema = await EnsureExtensionAsync(connection, transaction, cancellationToken);
        await connection.ExecuteAsync(Command(SearchPathSql, new { Schema = schema, ExtensionSchema = extensionSchema }, cancellationToken, transaction));
        await connection.ExecuteAsync(Command(CreateTableSql, null, cancellationToken, transaction));
        var applied = (await connection.QueryAsync<int>(Command(AppliedSql, null, cancellationToken, transaction))).ToHashSet();

        var done = new List<int>();
        foreach (var migration in wanted.Where(m => !applied.Contains(m.Version)))
        {
            await connection.ExecuteAsync(Command(migration.Sql, null, cancellationToken, transaction, commandTimeout: 0));
            await connection.ExecuteAsync(Command(
                RecordSql,
                new { migration.Version, migration.Name, AppliedAt = StorageTime.Now(timeProvider) },
                cancellationToken,
                transaction));
            done.Add(migration.Version);
        }

        await transaction.CommitAsync(cancellationToken);
        return done;
    }

    /// <summary>
    /// Creates pg_trgm when the database lacks it and returns its schema. Runners of other schemas in the same
    /// database take the same advisory lock first; a creator outside this library that wins the race makes
    /// CREATE EXTENSION fail with a unique violation, which is caught (inside a savepoint) before looking again.
    /// </summary>
    private static async Task<string> EnsureExtensionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var existing = await connection.ExecuteScalarAsync<string?>(Command(ExtensionSchemaSql, null, cancellationToken, transaction));
        if (existing is not null)
        {
            return existing;
        }

        await connection.ExecuteAsync(Command(LockSql, new { Key = ExtensionLock }, cancellationToken, transaction, commandTimeout: 0));
        await transaction.SaveAsync("create_extension", cancellationToken);
        try
        {
            await connection.ExecuteAsync(Command(CreateExtensionSql, null, cancellationToken, transaction));
            await transaction.ReleaseAsync("create_extension", cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateObject)
        {
            await transaction.RollbackAsync("create_extension", cancellationToken);
        }

        return await connection.ExecuteScalarAsync<string?>(Command(ExtensionSchemaSql, null, cancellationToken, transaction))
            ?? throw new InvalidOperationException("The pg_trgm extension could not be created.");
    }

    private static CommandDefinition Command(
        string sql, object? parameters, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null, int? commandTimeout = null)
        => new(sql, parameters, transaction, commandTimeout, cancellationToken: cancellationToken);
}

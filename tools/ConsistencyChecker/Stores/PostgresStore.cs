using System.Globalization;
using Npgsql;
using Storage.Consistency;
using Storage.Postgres;

namespace ConsistencyChecker.Stores;

/// <summary>
/// Opens PostgreSQL stores for the tool: parses the connection string, connects once to find out early whether the
/// server is reachable and the schema holds the storage tables, and never prints the connection string.
/// </summary>
internal static partial class PostgresStore
{
    private const string TablesSql = """
        SELECT to_regclass('schema_migrations') IS NOT NULL AND to_regclass('projects') IS NOT NULL AND to_regclass('agent_tasks') IS NOT NULL
        """;

    private const string VersionSql = "SELECT max(version) FROM schema_migrations";

    private const string EstimateSql = """
        SELECT COALESCE(SUM(GREATEST(c.reltuples, 0)), 0)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = @schema AND c.relkind = 'r'
          AND c.relname IN ('projects', 'project_dependencies', 'contributors', 'assets', 'contributions', 'agent_tasks')
        """;

    private const string CountSql = """
        SELECT (SELECT count(*) FROM projects) + (SELECT count(*) FROM project_dependencies) + (SELECT count(*) FROM contributors)
             + (SELECT count(*) FROM assets) + (SELECT count(*) FROM contributions) + (SELECT count(*) FROM agent_tasks)
        """;

    /// <summary>
    /// <c>postgres host:port/database schema storage</c>, from a connection string that may not parse; several servers
    /// (in either syntax <see cref="CreateDataSource"/> takes) as <c>postgres a:5432,b:5433/database schema storage</c>.
    /// </summary>
    public static string Describe(string connectionString, string schema)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(InNpgsqlSyntax(connectionString));
            var hosts = string.IsNullOrEmpty(builder.Host) ? ["localhost"] : builder.Host.Split(',', StringSplitOptions.TrimEntries);
            var database = builder.Database ?? builder.Username ?? "(default database)";
            return $"postgres {string.Join(',', hosts.Select(h => WithPort(h, builder.Port)))}/{database} schema {schema}";
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            return $"postgres (unparsable connection string) schema {schema}";
        }
    }

    /// <summary>
    /// libpq's host and port lists (<c>Host=a,b;Port=1,2</c>), which the library takes, in Npgsql's syntax; a string the
    /// library cannot read as written, for Npgsql's own message.
    /// </summary>
    private static string InNpgsqlSyntax(string connectionString)
        => PostgresConnectionString.Problem(connectionString) is null ? PostgresConnectionString.Normalize(connectionString) : connectionString;

    /// <summary>A host of a list as Npgsql reads it: its own port when it has one (<c>a:5433</c>, <c>[::1]:5433</c>), else the string's.</summary>
    private static string WithPort(string host, int port)
    {
        var colon = host.LastIndexOf(':');
        var hasPort = colon > 0 && (host.IndexOf(':') == colon || (host.StartsWith('[') && host[colon - 1] == ']'));
        return hasPort ? host : host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]:{port}" : $"{host}:{port}";
    }

    /// <summary>Builds a data source whose search path is the argument's schema.</summary>
    /// <exception cref="CheckerFailure">The connection string or the schema is not valid (exit code 2).</exception>
    public static NpgsqlDataSource CreateDataSource(StoreArgument store)
    {
        if (BadPort(store.Value) is { } port)
        {
            throw new CheckerFailure(
                ExitCode.BadInput,
                $"{store.Option} has Port={port}, which is not a TCP port: give a port from 1 to 65535 (PostgreSQL's default is 5432)");
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(InNpgsqlSyntax(store.Value)) { ApplicationName = "ConsistencyChecker" };
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // Npgsql's message names the key it could not set, which an unquoted password holding ';' turns into
            // (Password=a;b;Port=1 has the key "b;port"): with a password, nothing of the text is repeated.
            var why = HasPasswordKey(store.Value)
                ? "its text is not repeated, as it holds a password: check each keyword's name and value, and quote a value holding ';', as in Password='a;b'"
                : Why(ex);
            var what = LooksLikePath(store.Value)
                ? $"names no existing snapshot file, and is not a valid PostgreSQL connection string either ({why}): check the path"
                : $"is not a valid PostgreSQL connection string ({why}): write it as \"Host=...;Port=5432;Database=...;Username=...;Password=...\"";
            throw new CheckerFailure(ExitCode.BadInput, $"{store.Option} {what}", ex);
        }

        try
        {
            return PostgresStorageDataSource.Create(builder.ConnectionString, store.Schema);
        }
        catch (ArgumentException ex) when (ex.ParamName == "schema")
        {
            // The library's message says what a usable name is ("The schema name must be a simple identifier: ...").
            var rule = ex.Message.Replace(" (Parameter 'schema')", "", StringComparison.Ordinal);
            throw new CheckerFailure(
                ExitCode.BadInput,
                $"{store.Option}-schema \"{store.Schema}\" is not a usable schema name: {rule} Give a name such as \"storage\" (the default) or \"app_data\", unquoted",
                ex);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw new CheckerFailure(
                ExitCode.BadInput,
                $"{store.Option} is not a valid PostgreSQL connection string ({Redact(Why(ex), store.Value)}): write it as \"Host=...;Port=5432;Database=...;Username=...;Password=...\"",
                ex);
        }
    }

    /// <summary>What Npgsql's refusal of a connection string (holding no password) means, without its parameter names.</summary>
    private static string Why(Exception ex) => ex switch
    {
        ArgumentNullException { ParamName: { } key } => $"{key} is empty",
        ArgumentException { ParamName: { } key } when ex.Message.StartsWith("Couldn't set", StringComparison.Ordinal)
            => $"'{key}' is not a keyword Npgsql knows (Host, Port, Database, Username, Password, SSL Mode, Options, ...), or its value is not one it takes",
        _ => ex.Message,
    };

    /// <summary>Whether an argument that is not an existing file reads as a file's path rather than a connection string.</summary>
    private static bool LooksLikePath(string value)
        => !value.Contains(';', StringComparison.Ordinal)
            && (value.Contains('/', StringComparison.Ordinal) || value.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Opens the stores of <paramref name="store"/>: connects, checks that the schema holds the migrated storage tables,
    /// and returns them as a side whose record count comes from the table statistics.
    /// </summary>
    /// <exception cref="CheckerFailure">Unreachable (3), refused or not migrated (2).</exception>
    public static async Task<LiveStoreSource> OpenAsync(StoreArgument store, CancellationToken cancellationToken)
    {
        var dataSource = await OpenDataSourceAsync(store, cancellationToken);
        try
        {
            var graph = new PostgresGraphStore(dataSource, TimeProvider.System, new GuidV7IdGenerator(TimeProvider.System));
            var tasks = new PostgresAgentTaskStore(dataSource, TimeProvider.System, new GuidV7IdGenerator(TimeProvider.System));
            return new LiveStoreSource(graph, tasks, store.Describe())
            {
                BulkLoader = new PostgresBulkLoader(dataSource),
                Owned = dataSource,
                RecordCounter = ct => CountAsync(dataSource, store.Schema, ct),
            };
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    /// <summary>A data source on <paramref name="store"/>, whose schema is known to hold the stores' tables, migrated.</summary>
    /// <exception cref="CheckerFailure">Unreachable (3), refused or not migrated (2): the message names the store.</exception>
    public static async Task<NpgsqlDataSource> OpenDataSourceAsync(StoreArgument store, CancellationToken cancellationToken)
    {
        var dataSource = CreateDataSource(store);
        try
        {
            await ProbeAsync(dataSource, store, cancellationToken);
            return dataSource;
        }
        catch (NpgsqlException ex)
        {
            await dataSource.DisposeAsync();
            var (code, message) = Failures.Postgres(ex, store.Describe());
            throw new CheckerFailure(code, message, ex);
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    /// <summary>The highest migration version recorded in the schema.</summary>
    public static async Task<int?> VersionAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(VersionSql);
        return await command.ExecuteScalarAsync(cancellationToken) is int version ? version : null;
    }

    /// <summary>
    /// The value of Port when it is a whole number outside 1..65535 (Npgsql takes 99999, and fails only when it
    /// connects); null otherwise, a value Npgsql refuses included.
    /// </summary>
    private static long? BadPort(string connectionString)
    {
        var parsed = new System.Data.Common.DbConnectionStringBuilder();
        try
        {
            parsed.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            return null;
        }

        return parsed.TryGetValue("port", out var value)
            && long.TryParse(value?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var port)
            && port is < 1 or > 65_535
                ? port
                : null;
    }

    /// <summary>
    /// Opens one connection: a setting the connection string passes (<c>Options=-c name=value</c>) that the server does
    /// not know or take fails here, as bad input.
    /// </summary>
    /// <exception cref="CheckerFailure">The server refused a setting (exit code 2).</exception>
    /// <exception cref="NpgsqlException">The server is unreachable or refused the login.</exception>
    public static async Task ConnectAsync(NpgsqlDataSource dataSource, StoreArgument store, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedObject or PostgresErrorCodes.InvalidParameterValue
            or PostgresErrorCodes.CantChangeRuntimeParam)
        {
            throw new CheckerFailure(
                ExitCode.BadInput,
                $"{store.Describe()} refused a setting of the connection ({ex.SqlState}: {ex.MessageText}): check Options= and the other settings in the connection string",
                ex);
        }
    }

    private static async Task ProbeAsync(NpgsqlDataSource dataSource, StoreArgument store, CancellationToken cancellationToken)
    {
        await ConnectAsync(dataSource, store, cancellationToken);
        await using var command = dataSource.CreateCommand(TablesSql);
        var migrated = await command.ExecuteScalarAsync(cancellationToken) is true;
        var latest = PostgresMigration.All[^1].Version;
        if (!migrated)
        {
            throw new CheckerFailure(
                ExitCode.BadInput,
                $"{store.Describe()} has no storage tables: run \"ConsistencyChecker migrate --target <connection string> --target-schema {store.Schema}\" first, or pass the right {store.Option}-schema");
        }

        var version = await VersionAsync(dataSource, cancellationToken) ?? 0;
        if (version < latest)
        {
            throw new CheckerFailure(
                ExitCode.BadInput,
                $"{store.Describe()} is at schema version {version}, this tool needs {latest}: run \"ConsistencyChecker migrate --target <connection string> --target-schema {store.Schema}\" first");
        }

        ThrowIfNewer(store, version);
    }

    /// <summary>Refuses a schema migrated by a newer release: its tables may hold what this tool would misread.</summary>
    /// <exception cref="CheckerFailure">Exit 2, naming both versions.</exception>
    public static void ThrowIfNewer(StoreArgument store, long version)
    {
        var latest = PostgresMigration.All[^1].Version;
        if (version > latest)
        {
            throw new CheckerFailure(
                ExitCode.BadInput,
                $"{store.Describe()} is at schema version {version}, newer than this tool knows ({latest}): use the ConsistencyChecker of the release that migrated it");
        }
    }

    private static async ValueTask<long?> CountAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        await using (var estimate = dataSource.CreateCommand(EstimateSql))
        {
            estimate.Parameters.AddWithValue("schema", schema);
            if (await estimate.ExecuteScalarAsync(cancellationToken) is long rows && rows > 0)
            {
                return rows;
            }
        }

        // Tables never analyzed (just loaded): count them; a table scan each, cheap beside the check itself.
        await using var count = dataSource.CreateCommand(CountSql);
        return await count.ExecuteScalarAsync(cancellationToken) is long total ? total : null;
    }
}

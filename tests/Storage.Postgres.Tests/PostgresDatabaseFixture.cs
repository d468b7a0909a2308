using Npgsql;

namespace Storage.Postgres.Tests;

/// <summary>
/// One database per test class on the shared <see cref="PostgresServer"/>, created on first use. The contract
/// tests share one migrated schema per class and empty it before each test (<see cref="EmptySchemaAsync"/>):
/// tests of a class run one after another, and no class sees another's rows. Tests that need a schema of their
/// own ask for <see cref="CreateSchemaAsync"/>.
/// </summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    private const string SharedSchema = "storage";

    // Child tables first; the triggers keep asset totals and task counters right as rows go.
    private const string EmptySql = """
        DELETE FROM contributions;
        DELETE FROM assets;
        DELETE FROM contributors;
        DELETE FROM project_dependencies;
        DELETE FROM projects;
        DELETE FROM agent_tasks;
        UPDATE agent_task_counts SET n = 0 WHERE n <> 0;
        """;

    private readonly Lazy<Task<string>> _connectionString = new(CreateDatabaseAsync);
    private readonly Lazy<Task<NpgsqlDataSource>> _shared;
    private int _schemas;

    public PostgresDatabaseFixture() => _shared = new(() => CreateSchemaAsync(SharedSchema));

    /// <summary>A superuser connection string to this class's database (created on first call).</summary>
    public Task<string> ConnectionStringAsync() => _connectionString.Value;

    /// <summary>The class's shared data source, on a migrated schema emptied just now. The fixture disposes it.</summary>
    public async Task<NpgsqlDataSource> EmptySchemaAsync()
    {
        var dataSource = await _shared.Value;
        await using var command = dataSource.CreateCommand(EmptySql);
        await command.ExecuteNonQueryAsync();
        return dataSource;
    }

    /// <summary>A data source on a new, migrated schema of its own. The caller disposes it.</summary>
    public Task<NpgsqlDataSource> CreateSchemaAsync() => CreateSchemaAsync($"s{Interlocked.Increment(ref _schemas)}");

    /// <summary>A data source on <paramref name="schema"/>, not migrated. The caller disposes it.</summary>
    public async Task<NpgsqlDataSource> DataSourceAsync(string schema)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(await ConnectionStringAsync()) { MaxPoolSize = 20 }.ConnectionString;
        return PostgresStorageDataSource.Create(connectionString, schema);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_shared.IsValueCreated && _shared.Value.IsCompletedSuccessfully)
        {
            await (await _shared.Value).DisposeAsync();
        }
    }

    private async Task<NpgsqlDataSource> CreateSchemaAsync(string schema)
    {
        var dataSource = await DataSourceAsync(schema);
        await PostgresMigrator.ApplyAsync(dataSource, schema);
        return dataSource;
    }

    private static async Task<string> CreateDatabaseAsync()
    {
        var server = await PostgresServer.GetAsync();
        return await server.CreateDatabaseAsync("storage_tests");
    }
}

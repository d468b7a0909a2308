using Npgsql;
using Storage.Postgres;

namespace Storage.DualWrite.Tests;

/// <summary>One database per test class on the shared <see cref="PostgresServer"/>; each test gets a fresh, migrated schema.</summary>
public sealed class PostgresDatabaseFixture
{
    private readonly Lazy<Task<string>> _connectionString = new(CreateDatabaseAsync);
    private int _schemas;

    /// <summary>The database's name.</summary>
    public async Task<string> DatabaseNameAsync() => new NpgsqlConnectionStringBuilder(await _connectionString.Value).Database!;

    /// <summary>A data source on a new, migrated schema. The caller disposes it.</summary>
    public async Task<NpgsqlDataSource> CreateSchemaAsync(int maxPoolSize = 10)
    {
        var schema = $"s{Interlocked.Increment(ref _schemas)}";
        var connectionString = new NpgsqlConnectionStringBuilder(await _connectionString.Value)
        {
            MaxPoolSize = maxPoolSize,
            Timeout = 2,
            CommandTimeout = 5,
        }.ConnectionString;
        var dataSource = PostgresStorageDataSource.Create(connectionString, schema);
        await PostgresMigrator.ApplyAsync(dataSource, schema);
        return dataSource;
    }

    private static async Task<string> CreateDatabaseAsync()
    {
        var server = await PostgresServer.GetAsync();
        return await server.CreateDatabaseAsync("dual_write_tests");
    }
}

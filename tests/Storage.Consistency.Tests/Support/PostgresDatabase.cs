using Npgsql;
using Storage.Postgres;

namespace Storage.Consistency.Tests.Support;

/// <summary>One database per test class on the shared <see cref="PostgresServer"/>; each test takes schemas of its own.</summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private readonly List<NpgsqlDataSource> _dataSources = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<LiveStoreSource, NpgsqlDataSource> _sources = new();
    private int _schemas;

    /// <summary>A superuser connection string to the class's database.</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.GetAsync();
        ConnectionString = await server.CreateDatabaseAsync("consistency_tests");
    }

    public async Task DisposeAsync()
    {
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }

    /// <summary>A schema name not used yet.</summary>
    public string NewSchemaName() => $"s{Interlocked.Increment(ref _schemas)}";

    /// <summary>A new migrated schema, and stores over it.</summary>
    public async Task<(string Schema, LiveStoreSource Stores)> NewStoresAsync(TimeProvider? time = null)
    {
        var schema = NewSchemaName();
        var dataSource = PostgresStorageDataSource.Create(ConnectionString, schema);
        _dataSources.Add(dataSource);
        await PostgresMigrator.ApplyAsync(dataSource, schema);
        var stores = StoresOf(dataSource, schema, time);
        _sources[stores] = dataSource;
        return (schema, stores);
    }

    /// <summary>A new migrated schema holding <paramref name="data"/>.</summary>
    public async Task<(string Schema, LiveStoreSource Stores)> LoadAsync(DataSet data, TimeProvider? time = null)
    {
        var (schema, stores) = await NewStoresAsync(time);
        await data.ImportAsync(stores.Graph, stores.Tasks);
        return (schema, stores);
    }

    /// <summary>The data source of stores made by <see cref="NewStoresAsync"/>.</summary>
    public NpgsqlDataSource DataSourceOf(LiveStoreSource stores) => _sources[stores];

    public static LiveStoreSource StoresOf(NpgsqlDataSource dataSource, string schema, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        return new LiveStoreSource(
            new PostgresGraphStore(dataSource, time, new GuidV7IdGenerator(time)),
            new PostgresAgentTaskStore(dataSource, time, new GuidV7IdGenerator(time)),
            "postgres " + schema);
    }
}

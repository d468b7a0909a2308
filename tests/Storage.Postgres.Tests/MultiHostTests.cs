using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Storage.Postgres.Tests.Faults;

namespace Storage.Postgres.Tests;

/// <summary>
/// Connection strings naming several hosts: one whose port nobody listens on, then the live test server. Npgsql's
/// multi-host data source skips the dead host; reads and writes work, through <c>AddPostgresStorage</c>.
/// </summary>
[RequiresPostgres]
public sealed class MultiHostTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private static int _schemas;

    [Theory]
    [InlineData(true, "prefer-primary")]
    [InlineData(true, "read-write")]
    [InlineData(false, "prefer-primary")]
    [InlineData(false, "primary")]
    [InlineData(true, null)]
    public async Task Reads_and_writes_work_when_the_first_host_is_down(bool libpqPorts, string? targetSessionAttributes)
    {
        var live = new NpgsqlConnectionStringBuilder(await database.ConnectionStringAsync());
        var (host, port, dead) = (live.Host!, live.Port, ConnectionSecretTests.DeadPort());
        live.Host = null;
        live.Remove("Port");
        var hosts = libpqPorts ? $"Host=127.0.0.1,{host};Port={dead},{port}" : $"Host=127.0.0.1:{dead},{host}:{port}";
        var attributes = targetSessionAttributes is null ? "" : $";Target Session Attributes={targetSessionAttributes}";
        var schema = $"multi_{Interlocked.Increment(ref _schemas)}";
        var log = new CapturingLoggerFactory();
        await using var provider = new ServiceCollection()
            .AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(log)
            .AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(Microsoft.Extensions.Logging.Logger<>))
            .AddPostgresStorage(o =>
            {
                o.ConnectionString = $"{hosts};{live.ConnectionString}{attributes}";
                o.Schema = schema;
            })
            .BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var dataSource = provider.GetRequiredKeyedService<NpgsqlDataSource>(PostgresStorageServiceCollectionExtensions.DataSourceKey);
        Assert.IsType<NpgsqlMultiHostDataSource>(dataSource);
        await PostgresMigrator.ApplyAsync(dataSource, schema);
        var graph = provider.GetRequiredService<IGraphStore>();
        var tasks = provider.GetRequiredService<IAgentTaskStore>();

        var react = await graph.UpsertProjectAsync(new ProjectUpsert("npm", "react") { Description = "A UI library" });
        await graph.UpsertProjectAsync(new ProjectUpsert("npm", "scheduler"));
        Assert.True(await graph.AddDependencyAsync(react.Key, new ProjectKey("npm", "scheduler")));
        await graph.ImportProjectsAsync([react with { Name = "react-dom", DependencyCount = 0 }]);
        var task = await tasks.CreateTaskAsync(new NewAgentTask("direction", AgentTaskType.Impl));
        await tasks.ClaimTaskAsync(task.Id, "worker");

        Assert.Equal(1, (await graph.GetProjectAsync(react.Key))!.DependencyCount);
        Assert.Equal(2, (await graph.SearchProjectsAsync(new ProjectSearch("REACT"))).Count);
        Assert.Equal(3, await graph.CountProjectsAsync());
        Assert.Equal(AgentTaskStatus.Running, (await tasks.GetTaskAsync(task.Id))!.Status);
        Assert.Equal(1, (await tasks.ListTasksAsync(new AgentTaskQuery { Status = AgentTaskStatus.Running })).Total);
        Assert.Empty(log.Retries);
    }

    [Fact]
    public async Task PostgresStorageDataSource_builds_a_multi_host_data_source_whose_connections_use_the_schema()
    {
        var live = new NpgsqlConnectionStringBuilder(await database.ConnectionStringAsync());
        var connectionString = $"Host=127.0.0.1,{live.Host};Port={ConnectionSecretTests.DeadPort()},{live.Port};Username={live.Username};Database={live.Database}";
        if (live.Password is { } password)
        {
            connectionString += $";Password={password}";
        }

        await using var dataSource = PostgresStorageDataSource.Create(connectionString + ";Target Session Attributes=read-write", "multi_path");

        Assert.IsType<NpgsqlMultiHostDataSource>(dataSource);
        await using var command = dataSource.CreateCommand("SHOW search_path");
        Assert.Equal("multi_path", await command.ExecuteScalarAsync());
    }
}

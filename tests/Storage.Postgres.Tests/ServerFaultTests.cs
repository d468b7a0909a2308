using Npgsql;
using Storage.Postgres.Tests.Faults;

namespace Storage.Postgres.Tests;

/// <summary>The whole server going away and coming back (<c>pg_ctl stop -m fast</c>, then start), each test on a server of its own.</summary>
[RequiresPostgres]
public sealed class ServerFaultTests
{
    private const string Schema = "storage";

    [Fact]
    public async Task A_dedicated_server_can_be_stopped_and_started_and_its_sessions_terminated()
    {
        await using var server = await PostgresServer.StartDedicatedAsync();
        var connectionString = await server.CreateDatabaseAsync("faults");
        await using var dataSource = PostgresStorageDataSource.Create(connectionString, Schema);
        await PostgresMigrator.ApplyAsync(dataSource, Schema);
        var store = new PostgresAgentTaskStore(dataSource, new ManualTimeProvider(), new SequentialIdGenerator(), new PostgresResilience(0, TimeSpan.Zero));
        await store.CreateTaskAsync(new NewAgentTask("direction", AgentTaskType.Spec) { Id = "kept" });

        await server.StopAsync();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => store.GetTaskAsync("kept"));
        await server.StartAsync();
        dataSource.Clear();
        Assert.NotNull(await store.GetTaskAsync("kept"));

        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await server.TerminateConnectionsAsync(database);
        dataSource.Clear();
        Assert.NotNull(await store.GetTaskAsync("kept"));
    }

    [Fact]
    public async Task Reads_after_a_server_restart_succeed_without_clearing_the_pool()
    {
        await using var server = await PostgresServer.StartDedicatedAsync();
        await using var dataSource = PostgresStorageDataSource.Create(await server.CreateDatabaseAsync("restart"), Schema);
        await PostgresMigrator.ApplyAsync(dataSource, Schema);
        var log = new CapturingLoggerFactory();
        var resilience = new PostgresResilience(3, TimeSpan.FromMilliseconds(20), log.CreateLogger(nameof(PostgresResilience)));
        var tasks = new PostgresAgentTaskStore(dataSource, new ManualTimeProvider(), new SequentialIdGenerator(), resilience);
        var graph = new PostgresGraphStore(dataSource, new ManualTimeProvider(), new SequentialIdGenerator(), resilience);
        var task = await tasks.CreateTaskAsync(new NewAgentTask("direction", AgentTaskType.Spec) { Id = "kept" });
        var project = await graph.UpsertProjectAsync(new ProjectUpsert("npm", "kept"));
        // Several connections in the pool, all of which the restart kills.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => tasks.CountTasksByStatusAsync())));

        await server.StopAsync();
        await server.StartAsync();

        Assert.Equal(task, await tasks.GetTaskAsync("kept"));
        Assert.Equal(project, await graph.GetProjectAsync(project.Key));
        Assert.Equal(new AgentTaskCounts(1, 0, 0, 0, 0), await tasks.CountTasksByStatusAsync());
        Assert.Single(await ToListAsync(tasks.StreamTasksAsync()));
        Assert.NotEmpty(log.Retries);

        // The reads cleared the dead connections from the pool: a write, which is not retried, finds a live one.
        await tasks.ClaimTaskAsync("kept", "worker");
        Assert.Equal(new AgentTaskCounts(0, 1, 0, 0, 0), await tasks.CountTasksByStatusAsync());
    }

    [Fact]
    public async Task A_read_during_an_outage_fails_with_a_transient_error_after_its_retries_and_works_once_the_server_is_back()
    {
        await using var server = await PostgresServer.StartDedicatedAsync();
        await using var dataSource = PostgresStorageDataSource.Create(await server.CreateDatabaseAsync("outage"), Schema);
        await PostgresMigrator.ApplyAsync(dataSource, Schema);
        var log = new CapturingLoggerFactory();
        var store = new PostgresAgentTaskStore(
            dataSource, new ManualTimeProvider(), new SequentialIdGenerator(), new PostgresResilience(2, TimeSpan.FromMilliseconds(10), log.CreateLogger("retries")));
        await store.CreateTaskAsync(new NewAgentTask("direction", AgentTaskType.Spec) { Id = "kept" });

        await server.StopAsync();
        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => store.GetTaskAsync("kept"));
        Assert.True(PostgresResilience.IsTransient(error));
        Assert.Equal(2, log.Retries.Count);

        await server.StartAsync();
        Assert.NotNull(await store.GetTaskAsync("kept"));
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}

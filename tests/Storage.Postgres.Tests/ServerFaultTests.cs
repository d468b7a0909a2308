namespace Storage.Postgres.Tests;

/// <summary>The fault helpers of <see cref="PostgresServer"/>, on a server of the test's own.</summary>
[RequiresPostgres]
public sealed class ServerFaultTests
{
    [Fact]
    public async Task A_dedicated_server_can_be_stopped_and_started_and_its_sessions_terminated()
    {
        await using var server = await PostgresServer.StartDedicatedAsync();
        var connectionString = await server.CreateDatabaseAsync("faults");
        await using var dataSource = PostgresStorageDataSource.Create(connectionString, "storage");
        await PostgresMigrator.ApplyAsync(dataSource, "storage");
        var store = new PostgresAgentTaskStore(dataSource, new ManualTimeProvider(), new SequentialIdGenerator());
        await store.CreateTaskAsync(new NewAgentTask("direction", AgentTaskType.Spec) { Id = "kept" });

        await server.StopAsync();
        await Assert.ThrowsAnyAsync<Npgsql.NpgsqlException>(() => store.GetTaskAsync("kept"));
        await server.StartAsync();
        dataSource.Clear();
        Assert.NotNull(await store.GetTaskAsync("kept"));

        var database = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!;
        await server.TerminateConnectionsAsync(database);
        dataSource.Clear();
        Assert.NotNull(await store.GetTaskAsync("kept"));
    }
}

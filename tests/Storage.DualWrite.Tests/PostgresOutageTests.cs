using Npgsql;
using Storage.InMemory;
using Storage.Postgres;

namespace Storage.DualWrite.Tests;

/// <summary>Stops the shared test server, so it runs alone, after the tests that run in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresOutageGroup
{
    public const string Name = "PostgreSQL outage";
}

/// <summary>
/// The real PostgreSQL server stopped in the middle of a workload: in the dual-write and read-shift phases no call
/// fails and every missed key is journaled; once the server is back the reconciler drains the journal and the two
/// backends are equal.
/// </summary>
[RequiresPostgres]
[Collection(PostgresOutageGroup.Name)]
public sealed class PostgresOutageTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(MigrationPhase.DualWrite, 0)]
    [InlineData(MigrationPhase.ReadShift, 50)]
    public async Task A_stopped_server_fails_no_call_and_the_journal_is_drained_when_it_returns(MigrationPhase phase, int percent)
    {
        var server = await PostgresServer.GetAsync();
        if (!server.IsLocal)
        {
            return; // A server named by STORAGE_TEST_POSTGRES is not ours to stop.
        }

        var time = new ManualTimeProvider { AutoAdvance = TimeSpan.FromMilliseconds(1) };
        var ids = new SequentialIdGenerator();
        _dataSource = await database.CreateSchemaAsync();
        var source = new InMemoryGraphStore(time, ids);
        var target = new PostgresGraphStore(_dataSource, time, ids);
        var sourceTasks = new InMemoryAgentTaskStore(time, ids);
        var targetTasks = new PostgresAgentTaskStore(_dataSource, time, ids);
        using var harness = new DualWriteHarness(source, target, sourceTasks, targetTasks, MigrationFlags.For(phase, percent));

        await RunWorkloadAsync(harness, "before", 20);
        Assert.Equal(0, harness.Journal.PendingCount);

        await server.StopAsync();
        try
        {
            var written = await RunWorkloadAsync(harness, "during", 40);
            foreach (var key in written)
            {
                Assert.True(harness.Journal.TryGetGoodSide(key, out var good), $"{key} was not journaled");
                Assert.Equal(BackendRole.Source, good);
            }
        }
        finally
        {
            await server.StartAsync();
        }

        await RunWorkloadAsync(harness, "after", 10);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await harness.Reconciler.DrainAsync() > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal(0, harness.Journal.PendingCount);
        await StoreAssert.EqualAsync(source, target);
        await StoreAssert.EqualAsync(sourceTasks, targetTasks);
    }

    /// <summary>Writes and reads projects and tasks; any failed call fails the test. Returns the keys written.</summary>
    private static async Task<List<EntityKey>> RunWorkloadAsync(DualWriteHarness harness, string prefix, int count)
    {
        var keys = new List<EntityKey>();
        for (var i = 0; i < count; i++)
        {
            var project = await harness.Graph.UpsertProjectAsync(new ProjectUpsert("npm", $"{prefix}-{i % 15}") { Description = $"{prefix} {i}" });
            keys.Add(EntityKey.Project(project.Key));
            Assert.Equal($"{prefix} {i}", (await harness.Graph.GetProjectAsync(project.Key))!.Description);
            if (i > 0)
            {
                await harness.Graph.AddDependencyAsync(project.Key, new ProjectKey("npm", $"{prefix}-{(i - 1) % 15}"));
            }

            var task = await harness.Tasks.CreateTaskAsync(new NewAgentTask($"{prefix} {i}", AgentTaskType.Review));
            keys.Add(EntityKey.AgentTask(task.Id));
            await harness.Tasks.UpdateTaskAsync(task.Id, new AgentTaskUpdate { Progress = 10 });
            Assert.Equal(10, (await harness.Tasks.GetTaskAsync(task.Id))!.Progress);
            _ = await harness.Graph.CountProjectsAsync();
            _ = await harness.Tasks.CountTasksByStatusAsync();
        }

        return keys;
    }
}

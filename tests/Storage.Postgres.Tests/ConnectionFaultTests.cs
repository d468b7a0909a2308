using Npgsql;
using Storage.Postgres.Tests.Faults;

namespace Storage.Postgres.Tests;

/// <summary>
/// The store's session killed mid-operation (<c>pg_terminate_backend</c>), on this class's own database and on
/// sessions found by the store's application name, so no other class is disturbed. A statement is held in the
/// middle of its work by a table lock that a separate session takes, which makes every step deterministic: the
/// fault hits while the statement is known to be running.
/// </summary>
[RequiresPostgres]
public sealed class ConnectionFaultTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    private static int _schemas;

    [Fact]
    public async Task A_read_whose_session_is_killed_is_retried_on_a_new_connection_and_returns_the_row()
    {
        await using var target = await TargetAsync();
        var store = target.TaskStore();
        await store.CreateTaskAsync(new NewAgentTask("direction", AgentTaskType.Spec) { Id = "kept" });

        Task<AgentTask?> read;
        await using (await Sessions.LockAsync(target.Admin, target.Schema, "agent_tasks"))
        {
            read = store.GetTaskAsync("kept");
            var first = await Sessions.WaitForLockWaiterAsync(target.Admin, target.App, read);
            await Sessions.TerminateAsync(target.Admin, first);

            // The retry runs on a new connection, which waits for the lock in turn.
            var second = await Sessions.WaitForLockWaiterAsync(target.Admin, target.App, read, except: first);
            Assert.NotEqual(first, second);
        }

        Assert.Equal("kept", (await read.WaitAsync(Prompt))!.Id);
        Assert.Contains(target.Log.Retries, e => e.Message.Contains(PostgresErrorCodes.AdminShutdown, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stream_whose_connections_are_killed_mid_way_yields_every_row_once_in_order()
    {
        await using var target = await TargetAsync();
        var store = target.TaskStore();

        // 8 KB rows, 20 MB in all: more than the server can have sent ahead before its session is killed, so the
        // stream's one query fails part-way and the rest comes in pages.
        var output = new string('x', 8_000);
        var tasks = Enumerable.Range(0, 2 * PostgresAgentTaskStore.StreamPageSize + 500)
            .Select(i => ImportedTask($"t-{i:D5}") with { Output = output })
            .ToArray();
        await store.ImportTasksAsync(tasks);

        var streamed = await ReadKillingSessionsAsync(target, store.StreamTasksAsync(), PostgresAgentTaskStore.StreamPageSize);

        Assert.Equal(tasks, streamed);
        Assert.True(target.Log.Retries.Count >= 2, $"expected a retry per killed connection, got {target.Log.Retries.Count}");
    }

    [Fact]
    public async Task A_project_stream_whose_connections_are_killed_mid_way_yields_every_project_once_in_order_with_its_count()
    {
        await using var target = await TargetAsync();
        var store = target.GraphStore();

        // 8 KB descriptions, 20 MB in all, as for the tasks above; every project but the last depends on the next.
        var description = new string('d', 8_000);
        var projects = Enumerable.Range(0, 2 * PostgresGraphStore.StreamPageSize + 500)
            .Select(i => new Project("npm", $"p-{i:D5}", null, description, null, null, 0, ManualTimeProvider.DefaultStart, ManualTimeProvider.DefaultStart))
            .ToArray();
        await store.ImportProjectsAsync(projects);
        await store.ImportDependenciesAsync(projects.Skip(1).Select((p, i) => new DependencyEdge(projects[i].Key, p.Key)).ToArray());
        var expected = projects.Select((p, i) => p with { DependencyCount = i < projects.Length - 1 ? 1 : 0 }).ToArray();

        var streamed = await ReadKillingSessionsAsync(target, store.StreamProjectsAsync(), PostgresGraphStore.StreamPageSize);

        Assert.Equal(expected, streamed);
        Assert.True(target.Log.Retries.Count >= 2, $"expected a retry per killed connection, got {target.Log.Retries.Count}");
    }

    [Fact]
    public async Task A_stream_stopped_part_way_stops_its_query_and_leaves_its_connection_usable()
    {
        await using var target = await TargetAsync();
        var store = target.TaskStore();
        var output = new string('x', 8_000);
        var tasks = Enumerable.Range(0, 2 * PostgresAgentTaskStore.StreamPageSize).Select(i => ImportedTask($"t-{i:D5}") with { Output = output }).ToArray();
        await store.ImportTasksAsync(tasks);

        for (var round = 0; round < 3; round++)
        {
            var read = 0;
            await foreach (var _ in store.StreamTasksAsync())
            {
                if (++read == 10)
                {
                    break;
                }
            }
        }

        Assert.Equal("t-00001", (await store.GetTaskAsync("t-00001"))!.Id);
        Assert.Equal(tasks, await ToListAsync(store.StreamTasksAsync()));
        Assert.Empty(target.Log.Retries);
    }

    [Fact]
    public async Task An_import_killed_mid_way_writes_nothing_and_running_it_again_completes_it()
    {
        await using var target = await TargetAsync();
        var store = target.TaskStore(new PostgresResilience(maxRetryAttempts: 0, TimeSpan.Zero));
        var statuses = Enum.GetValues<AgentTaskStatus>();
        var tasks = Enumerable.Range(0, 3_000).Select(i => ImportedTask($"t-{i:D5}") with { Status = statuses[i % statuses.Length] }).ToArray();

        Task<int> import;
        await using (await Sessions.LockAsync(target.Admin, target.Schema, "agent_tasks"))
        {
            // Copied into its temporary table, counters locked, the import now waits to merge into agent_tasks.
            import = store.ImportTasksAsync(tasks);
            await Sessions.TerminateAsync(target.Admin, await Sessions.WaitForLockWaiterAsync(target.Admin, target.App, import));
            var error = await Assert.ThrowsAsync<PostgresException>(() => import.WaitAsync(Prompt));
            Assert.Equal(PostgresErrorCodes.AdminShutdown, error.SqlState);
            Assert.True(PostgresResilience.IsTransient(error));
        }

        Assert.Empty(await ToListAsync(store.StreamTasksAsync()));
        Assert.Equal(new AgentTaskCounts(0, 0, 0, 0, 0), await store.CountTasksByStatusAsync());
        Assert.Equal(0, (await store.ListTasksAsync(new AgentTaskQuery())).Total);

        Assert.Equal(tasks.Length, await store.ImportTasksAsync(tasks));
        Assert.Equal(tasks, await ToListAsync(store.StreamTasksAsync()));
        Assert.Equal(tasks.Length / statuses.Length, (await store.CountTasksByStatusAsync()).Failed);
    }

    [Fact]
    public async Task An_import_killed_mid_way_is_retried_as_a_whole_and_counts_every_record_once()
    {
        await using var target = await TargetAsync();
        var store = target.GraphStore();
        var contributor = await store.CreateContributorAsync(new NewContributor("Ada"));
        var asset = await store.CreateAssetAsync(new NewAsset("model", AssetType.Model));
        var contributions = Enumerable.Range(1, 1_500)
            .Select(i => new Contribution(
                new Guid(i, 0, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 1), contributor.Id, asset.Id, 0.01m, 0.5m, JsonMetadata.Empty, ManualTimeProvider.DefaultStart))
            .ToArray();

        Task<int> import;
        await using (await Sessions.LockAsync(target.Admin, target.Schema, "contributions"))
        {
            import = store.ImportContributionsAsync(contributions);
            var first = await Sessions.WaitForLockWaiterAsync(target.Admin, target.App, import);
            await Sessions.TerminateAsync(target.Admin, first);
            await Sessions.WaitForLockWaiterAsync(target.Admin, target.App, import, except: first);
        }

        Assert.Equal(contributions.Length, await import.WaitAsync(Prompt));
        Assert.Equal(15.00m, (await store.GetAssetAsync(asset.Id))!.TotalCost);
        Assert.Equal(contributions, await ToListAsync(store.StreamContributionsAsync()));
        Assert.Single(target.Log.Retries);
    }

    [Theory]
    [InlineData("create task")]
    [InlineData("update task")]
    [InlineData("claim task")]
    [InlineData("upsert project")]
    [InlineData("create contributor")]
    [InlineData("create asset")]
    [InlineData("create contribution")]
    public async Task A_write_that_is_not_idempotent_killed_mid_way_fails_with_the_transient_error_and_leaves_nothing(string write)
    {
        await using var target = await TargetAsync();
        var (graph, tasks) = (target.GraphStore(), target.TaskStore());
        await tasks.CreateTaskAsync(new NewAgentTask("direction", AgentTaskType.Impl) { Id = "existing" });
        var contributor = await graph.CreateContributorAsync(new NewContributor("Ada"));
        var asset = await graph.CreateAssetAsync(new NewAsset("model", AssetType.Model));
        var (table, run) = write switch
        {
            "create task" => ("agent_tasks", (Func<Task>)(() => tasks.CreateTaskAsync(new NewAgentTask("direction", AgentTaskType.Spec) { Id = "half" }))),
            "update task" => ("agent_tasks", () => tasks.UpdateTaskAsync("existing", new AgentTaskUpdate { Status = AgentTaskStatus.Failed })),
            "claim task" => ("agent_tasks", () => tasks.ClaimTaskAsync("existing", "worker")),
            "upsert project" => ("projects", () => graph.UpsertProjectAsync(new ProjectUpsert("npm", "half"))),
            "create contributor" => ("contributors", () => graph.CreateContributorAsync(new NewContributor("Bob"))),
            "create asset" => ("assets", () => graph.CreateAssetAsync(new NewAsset("data", AssetType.Data))),
            _ => ("contributions", (Func<Task>)(() => graph.CreateContributionAsync(new NewContribution(contributor.Id, asset.Id, 2.50m, 0.5m)))),
        };
        var before = await ContentsAsync(graph, tasks);

        await using (await Sessions.LockAsync(target.Admin, target.Schema, table))
        {
            var attempt = run();
            await Sessions.TerminateAsync(target.Admin, await Sessions.WaitForLockWaiterAsync(target.Admin, target.App, attempt));

            // It fails while the lock is still held: it was not sent again (a second try would wait for the lock).
            var error = await Assert.ThrowsAsync<PostgresException>(() => attempt.WaitAsync(Prompt));
            Assert.Equal(PostgresErrorCodes.AdminShutdown, error.SqlState);
            Assert.True(PostgresResilience.IsTransient(error));
        }

        Assert.Equal(before, await ContentsAsync(graph, tasks));
        Assert.Empty(target.Log.Retries);
        await run();
        Assert.NotEqual(before, await ContentsAsync(graph, tasks));
    }

    [Fact]
    public async Task A_cancelled_read_is_cancelled_on_the_server_and_not_retried()
    {
        await using var target = await TargetAsync();
        var store = target.TaskStore();
        await store.CreateTaskAsync(new NewAgentTask("direction", AgentTaskType.Spec) { Id = "kept" });
        using var cancellation = new CancellationTokenSource();

        await using (await Sessions.LockAsync(target.Admin, target.Schema, "agent_tasks"))
        {
            var read = store.GetTaskAsync("kept", cancellation.Token);
            var session = await Sessions.WaitForLockWaiterAsync(target.Admin, target.App, read);
            await cancellation.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(Prompt));
            // The server stopped the statement: the session no longer waits for the lock, which is still held.
            Assert.False(await Sessions.IsWaitingForLockAsync(target.Admin, session));
        }

        Assert.Empty(target.Log.Retries);
        Assert.NotNull(await store.GetTaskAsync("kept"));
    }

    [Fact]
    public async Task A_cancelled_claim_is_cancelled_on_the_server_and_changes_nothing()
    {
        await using var target = await TargetAsync();
        var store = target.TaskStore();
        await store.CreateTaskAsync(new NewAgentTask("direction", AgentTaskType.Spec) { Id = "open" });
        using var cancellation = new CancellationTokenSource();

        await using (await Sessions.LockAsync(target.Admin, target.Schema, "agent_tasks"))
        {
            var claim = store.ClaimTaskAsync("open", "worker", cancellation.Token);
            var session = await Sessions.WaitForLockWaiterAsync(target.Admin, target.App, claim);
            await cancellation.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => claim.WaitAsync(Prompt));
            Assert.False(await Sessions.IsWaitingForLockAsync(target.Admin, session));
        }

        Assert.Equal(AgentTaskStatus.Pending, (await store.GetTaskAsync("open"))!.Status);
        Assert.Empty(target.Log.Retries);
    }

    private static AgentTask ImportedTask(string id) => new(
        id, "imported", AgentTaskType.Impl, AgentTaskStatus.Pending, null, null, null, JsonMetadata.Empty, 0, null, null, null, null, null,
        null, null, ManualTimeProvider.DefaultStart, ManualTimeProvider.DefaultStart);

    private static async Task<string> ContentsAsync(PostgresGraphStore graph, PostgresAgentTaskStore tasks)
        => string.Join(
            '\n',
            string.Join(',', await ToListAsync(graph.StreamProjectsAsync())),
            string.Join(',', await ToListAsync(graph.StreamContributorsAsync())),
            string.Join(',', await ToListAsync(graph.StreamAssetsAsync())),
            string.Join(',', await ToListAsync(graph.StreamContributionsAsync())),
            string.Join(',', await ToListAsync(tasks.StreamTasksAsync())),
            await tasks.CountTasksByStatusAsync());

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    /// <summary>A migrated schema of its own, reached through a data source whose sessions carry an application name of their own.</summary>
    /// <summary>
    /// Reads <paramref name="stream"/> through, killing the app's sessions at the first row of every page: first the
    /// scan's own session, mid-way; later the page just read, back in the pool, so the next page meets a dead connection.
    /// </summary>
    private static async Task<List<T>> ReadKillingSessionsAsync<T>(Target target, IAsyncEnumerable<T> stream, int pageSize)
    {
        var streamed = new List<T>();
        await foreach (var item in stream)
        {
            streamed.Add(item);
            if (streamed.Count % pageSize == 1)
            {
                Assert.True(await Sessions.TerminateAllAsync(target.Admin, target.App) > 0);
            }
        }

        return streamed;
    }

    private async Task<Target> TargetAsync()
    {
        var admin = await database.ConnectionStringAsync();
        var number = Interlocked.Increment(ref _schemas);
        var schema = $"faults_{number}";
        var app = $"storage-faults-{number}";
        var dataSource = PostgresStorageDataSource.Create(new NpgsqlConnectionStringBuilder(admin) { ApplicationName = app }.ConnectionString, schema);
        await PostgresMigrator.ApplyAsync(dataSource, schema);
        return new Target(dataSource, schema, app, admin);
    }

    private sealed class Target(NpgsqlDataSource dataSource, string schema, string app, string admin) : IAsyncDisposable
    {
        public string Schema { get; } = schema;

        public string App { get; } = app;

        /// <summary>A superuser connection string for the fault-injecting sessions.</summary>
        public string Admin { get; } = admin;

        public CapturingLoggerFactory Log { get; } = new();

        /// <summary>Quick retries (10 ms), logged to <see cref="Log"/>.</summary>
        public PostgresResilience Resilience => new(3, TimeSpan.FromMilliseconds(10), Log.CreateLogger(nameof(PostgresResilience)));

        public PostgresAgentTaskStore TaskStore(PostgresResilience? resilience = null)
            => new(dataSource, new ManualTimeProvider(), new SequentialIdGenerator(), resilience ?? Resilience);

        public PostgresGraphStore GraphStore()
            => new(dataSource, new ManualTimeProvider(), new SequentialIdGenerator(), Resilience);

        public ValueTask DisposeAsync() => dataSource.DisposeAsync();
    }
}

namespace Storage.Postgres.Tests;

/// <summary>Races the contract cannot stage through one store call at a time: many callers on one database.</summary>
[RequiresPostgres]
public sealed class ConcurrencyTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private const int Workers = 16;

    [Fact]
    public async Task Concurrent_claims_of_one_task_have_exactly_one_winner()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        var store = new PostgresAgentTaskStore(dataSource, new ManualTimeProvider(), new SequentialIdGenerator());
        for (var round = 0; round < 10; round++)
        {
            var id = $"race-{round}";
            await store.CreateTaskAsync(new NewAgentTask("direction", AgentTaskType.Impl) { Id = id });

            var outcomes = await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
            {
                try
                {
                    return (Worker: $"worker-{w}", Claimed: (AgentTask?)await store.ClaimTaskAsync(id, $"worker-{w}"));
                }
                catch (StorageConflictException ex)
                {
                    Assert.Equal(StorageErrors.ClaimedByAnother(id).Message, ex.Message);
                    return (Worker: $"worker-{w}", Claimed: null);
                }
            })));

            var winner = Assert.Single(outcomes, o => o.Claimed is not null);
            Assert.Equal(winner.Worker, winner.Claimed!.ClaimedBy);
            Assert.Equal(winner.Worker, (await store.GetTaskAsync(id))!.ClaimedBy);
        }

        Assert.Equal(new AgentTaskCounts(0, 10, 0, 0, 0), await store.CountTasksByStatusAsync());
    }

    [Fact]
    public async Task Counts_stay_exact_under_concurrent_creates_claims_and_updates()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        var store = new PostgresAgentTaskStore(dataSource, new ManualTimeProvider(), new SequentialIdGenerator());
        var types = Enum.GetValues<AgentTaskType>();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                var id = $"t-{w}-{i}";
                await store.CreateTaskAsync(new NewAgentTask("direction", types[i % types.Length]) { Id = id });
                if (i % 2 == 0)
                {
                    await store.ClaimTaskAsync(id, $"worker-{w}");
                }

                if (i % 4 == 0)
                {
                    await store.UpdateTaskAsync(id, new AgentTaskUpdate { Status = AgentTaskStatus.Failed });
                }
            }
        })));

        var tasks = new List<AgentTask>();
        await foreach (var task in store.StreamTasksAsync())
        {
            tasks.Add(task);
        }

        long Count(AgentTaskStatus status) => tasks.Count(t => t.Status == status);
        var expected = new AgentTaskCounts(
            Count(AgentTaskStatus.Pending), Count(AgentTaskStatus.Running), Count(AgentTaskStatus.Completed),
            Count(AgentTaskStatus.Failed), Count(AgentTaskStatus.NeedsDecision));
        Assert.Equal(Workers * 20, expected.Total);
        Assert.Equal(expected, await store.CountTasksByStatusAsync());
        foreach (var type in types)
        {
            var page = await store.ListTasksAsync(new AgentTaskQuery { Status = AgentTaskStatus.Running, TaskType = type, Limit = 1 });
            Assert.Equal(tasks.Count(t => t.Status == AgentTaskStatus.Running && t.TaskType == type), page.Total);
        }
    }

    [Fact]
    public async Task Asset_total_stays_exact_under_concurrent_contributions_and_imports()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        var store = new PostgresGraphStore(dataSource, new ManualTimeProvider(), new SequentialIdGenerator());
        var contributor = await store.CreateContributorAsync(new NewContributor("Ada"));
        var asset = await store.CreateAssetAsync(new NewAsset("model", AssetType.Model));
        var created = ManualTimeProvider.DefaultStart;

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await store.CreateContributionAsync(new NewContribution(contributor.Id, asset.Id, 0.01m * (w + 1), 0.5m));
            }

            // Each worker also imports a batch of its own contributions, twice (the second changes nothing).
            var batch = Enumerable.Range(0, 5)
                .Select(i => new Contribution(Guid.NewGuid(), contributor.Id, asset.Id, 1.10m, 0.25m, JsonMetadata.Empty, created))
                .ToArray();
            await store.ImportContributionsAsync(batch);
            await store.ImportContributionsAsync(batch);
        })));

        var expected = (Enumerable.Range(1, Workers).Sum(w => 0.01m * w) * 10) + (Workers * 5 * 1.10m);
        var stored = await store.GetAssetAsync(asset.Id);
        Assert.Equal(expected, stored!.TotalCost);
        Assert.Equal(2, decimal.GetBits(stored.TotalCost)[3] >> 16 & 0xFF);
    }

    [Fact]
    public async Task Concurrent_creates_with_one_email_have_exactly_one_winner()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        var store = new PostgresGraphStore(dataSource, new ManualTimeProvider(), new GuidV7IdGenerator(TimeProvider.System));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            try
            {
                await store.CreateContributorAsync(new NewContributor($"Ada {w}") { Email = "ADA@example.org" });
                return true;
            }
            catch (StorageConflictException ex)
            {
                Assert.Equal(StorageErrors.EmailTaken("ada@example.org").Message, ex.Message);
                return false;
            }
        })));

        Assert.Single(outcomes, won => won);
    }
}

using Storage.InMemory;

namespace Storage.Postgres.Tests;

/// <summary>
/// Random sequences of calls fed to the PostgreSQL store and to the in-memory reference, with the clock moving
/// forwards, backwards and on every read: every result and every error must be the same.
/// </summary>
[RequiresPostgres]
public sealed class DifferentialTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private const int Steps = 400;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Task_stores_agree_on_every_result_and_error(int seed)
    {
        await using var dataSource = await database.CreateSchemaAsync();
        var (postgresTime, memoryTime) = (new ManualTimeProvider(), new ManualTimeProvider());
        var postgres = new PostgresAgentTaskStore(dataSource, postgresTime, new ClockIdGenerator(postgresTime));
        var memory = new InMemoryAgentTaskStore(memoryTime, new ClockIdGenerator(memoryTime));
        var random = new Random(seed);
        var ids = new[] { "a", "b", "c", "d", "e", null };
        var workers = new[] { "w1", " w2 ", "", "w1" };

        for (var step = 0; step < Steps; step++)
        {
            MoveClocks(random, postgresTime, memoryTime);
            // Every random choice is drawn before the call, so both stores get the same arguments.
            var id = ids[random.Next(ids.Length)] ?? "a";
            var newId = ids[random.Next(ids.Length)];
            var type = Pick<AgentTaskType>(random);
            var status = Pick<AgentTaskStatus>(random);
            var update = RandomUpdate(random);
            var worker = workers[random.Next(workers.Length)];
            var query = new AgentTaskQuery
            {
                Status = random.Next(2) == 0 ? null : status,
                TaskType = random.Next(2) == 0 ? null : type,
                Limit = random.Next(0, 4),
                Offset = random.Next(-1, 3),
            };
            var limit = random.Next(0, 5);
            var updatedAt = ManualTimeProvider.DefaultStart.AddSeconds(random.Next(-1, 3));
            Func<IAgentTaskStore, Task<object?>> call = random.Next(9) switch
            {
                0 => async s => await s.CreateTaskAsync(new NewAgentTask(" do it ", type) { Id = newId }),
                1 => async s => await s.UpdateTaskAsync(id, update),
                2 => async s => await s.ClaimTaskAsync(id, worker),
                3 => async s => await s.GetTaskAsync(id),
                4 => async s => Describe(await s.ListTasksAsync(query)),
                5 => async s => string.Join(",", (await s.ListAttentionTasksAsync(limit)).Select(t => t.ToString())),
                6 => async s => await s.CountTasksByStatusAsync(),
                7 => async s => string.Join(",", (await Stream(s.StreamTasksAsync())).Select(t => t.ToString())),
                _ => async s => await s.ImportTasksAsync([new AgentTask(
                    id, "imported", AgentTaskType.Heal, status, null, null, null, JsonMetadata.Empty, 5, null, null,
                    null, null, null, null, null, ManualTimeProvider.DefaultStart, updatedAt)]),
            };

            Assert.Equal((await OutcomeAsync(() => call(memory))).Text, (await OutcomeAsync(() => call(postgres))).Text);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Graph_stores_agree_on_every_result_and_error(int seed)
    {
        await using var dataSource = await database.CreateSchemaAsync();
        var (postgresTime, memoryTime) = (new ManualTimeProvider(), new ManualTimeProvider());
        var postgres = new PostgresGraphStore(dataSource, postgresTime, new ClockIdGenerator(postgresTime));
        var memory = new InMemoryGraphStore(memoryTime, new ClockIdGenerator(memoryTime));
        var random = new Random(seed);
        var names = new[] { "a", "B", "c", " d ", "É" };
        var emails = new[] { "x@y.z", "X@Y.z", "q@r.s", null };
        var contributors = new List<Guid> { Guid.NewGuid() };
        var assets = new List<Guid> { Guid.NewGuid() };

        for (var step = 0; step < Steps; step++)
        {
            MoveClocks(random, postgresTime, memoryTime);
            var key = new ProjectKey(random.Next(3) == 0 ? "NPM" : "npm", names[random.Next(names.Length)]);
            var other = new ProjectKey("npm", names[random.Next(names.Length)]);
            var contributor = contributors[random.Next(contributors.Count)];
            var asset = assets[random.Next(assets.Count)];
            var description = random.Next(2) == 0 ? null : "Some TEXT";
            var email = emails[random.Next(emails.Length)];
            var assetType = Pick<AssetType>(random);
            var cost = random.Next(0, 300) / 100m;
            var depth = random.Next(0, 4);
            var offset = random.Next(0, 2);
            var text = random.Next(2) == 0 ? "TEXT" : "é";
            Func<IGraphStore, Task<object?>> call = random.Next(12) switch
            {
                0 => async s => await s.UpsertProjectAsync(new ProjectUpsert(key.Ecosystem, key.Name) { Description = description }),
                1 => async s => await s.AddDependencyAsync(key, other),
                2 => async s => await s.RemoveDependencyAsync(key, other),
                3 => async s => await s.DeleteProjectAsync(key),
                4 => async s => string.Join(",", await s.GetTransitiveDependenciesAsync(key, depth)),
                5 => async s => string.Join(",", (await s.GetDependentsAsync(key)).Select(p => p.ToString())),
                6 => async s => await s.CreateContributorAsync(new NewContributor("Ada") { Email = email }),
                7 => async s => await s.CreateAssetAsync(new NewAsset("asset", assetType)),
                8 => async s => await s.CreateContributionAsync(new NewContribution(contributor, asset, cost, 0.5m)),
                9 => async s => string.Join(",", (await s.ListContributionsAsync(new ContributionQuery { AssetId = asset, Limit = 5 })).Select(c => c.ToString())),
                10 => async s => string.Join(",", (await s.ListAssetsAsync(5, offset)).Select(a => a.ToString())),
                _ => async s => string.Join(",", (await s.SearchProjectsAsync(new ProjectSearch(text))).Select(p => p.ToString())),
            };

            var expected = await OutcomeAsync(() => call(memory));
            Assert.Equal(expected.Text, (await OutcomeAsync(() => call(postgres))).Text);
            switch (expected.Value)
            {
                case Contributor c:
                    contributors.Add(c.Id);
                    break;
                case Asset a:
                    assets.Add(a.Id);
                    break;
            }
        }
    }

    private static void MoveClocks(Random random, ManualTimeProvider first, ManualTimeProvider second)
    {
        var by = random.Next(10) switch
        {
            0 => TimeSpan.FromSeconds(-5),
            1 => TimeSpan.Zero,
            _ => TimeSpan.FromTicks(random.Next(1, 30_000_000)),
        };
        var autoAdvance = random.Next(4) == 0 ? TimeSpan.FromTicks(random.Next(1, 100)) : TimeSpan.Zero;
        foreach (var clock in new[] { first, second })
        {
            clock.Advance(by);
            clock.AutoAdvance = autoAdvance;
        }
    }

    /// <summary>The value (as text, so records compare by content) or the error type and message.</summary>
    private static async Task<(string Text, object? Value)> OutcomeAsync(Func<Task<object?>> call)
    {
        try
        {
            var value = await call();
            return ("ok: " + (value ?? "null"), value);
        }
        catch (Exception ex) when (ex is StorageException or ArgumentException)
        {
            return ($"{ex.GetType().Name}: {ex.Message}", null);
        }
    }

    private static AgentTaskUpdate RandomUpdate(Random random) => random.Next(5) switch
    {
        0 => new AgentTaskUpdate(),
        1 => new AgentTaskUpdate { Status = Pick<AgentTaskStatus>(random) },
        2 => new AgentTaskUpdate { Decision = "yes" },
        3 => new AgentTaskUpdate { Progress = random.Next(-1, 102), CurrentStep = " step " },
        _ => new AgentTaskUpdate { DecisionPrompt = "?", Status = AgentTaskStatus.NeedsDecision },
    };

    private static string Describe(AgentTaskPage page) => $"{page.Total}: {string.Join(",", page.Items.Select(t => t.ToString()))}";

    private static T Pick<T>(Random random)
        where T : struct, Enum
    {
        var values = Enum.GetValues<T>();
        return values[random.Next(values.Length)];
    }

    private static async Task<List<T>> Stream<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    /// <summary>Deterministic ids that read the clock, like <see cref="GuidV7IdGenerator"/>: both stores must read it in the same order.</summary>
    private sealed class ClockIdGenerator(TimeProvider time) : IStorageIdGenerator
    {
        private int _count;

        public Guid NewId()
        {
            Span<byte> bytes = stackalloc byte[16];
            BitConverter.TryWriteBytes(bytes, time.GetUtcNow().UtcTicks);
            BitConverter.TryWriteBytes(bytes[8..], Interlocked.Increment(ref _count));
            return new Guid(bytes);
        }
    }
}

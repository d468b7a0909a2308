using Storage.Consistency.Tests.Support;

namespace Storage.Consistency.Tests;

/// <summary>Checks while a workload keeps writing to PostgreSQL: with --recheck, writes in flight are not reported as drift.</summary>
[RequiresPostgres]
public sealed class LiveWorkloadTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Check_of_two_schemas_fed_by_a_lagging_dual_write_finds_no_false_difference()
    {
        var data = new DataGen(71).NewDataSet(200);
        var (sourceSchema, source) = await database.LoadAsync(data);
        var (targetSchema, target) = await database.LoadAsync(data);
        using var stop = new CancellationTokenSource();
        var workload = Task.WhenAll(DualWriteAsync(source, target, stop, seed: 1), DualWriteAsync(source, target, stop, seed: 2));

        // At least three checks, and more (up to ten) until one has met writes in flight.
        var results = new List<CliResult>();
        while (results.Count < 3 || (results.Count < 10 && results.Sum(InFlight) == 0))
        {
            results.Add(await Cli.RunAsync(
            [
                "check", "--recheck", "2", "--format", "json",
                "--source", database.ConnectionString, "--source-schema", sourceSchema,
                "--target", database.ConnectionString, "--target-schema", targetSchema,
            ]));
        }

        await stop.CancelAsync();
        var writes = (await workload).Sum();

        Assert.True(writes > 50, $"the workload wrote only {writes} records");
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.All(results, r => Assert.Equal(0, r.Json().GetProperty("totals").GetProperty("differences").GetInt64()));
        Assert.True(results.Sum(InFlight) > 0, "no check met a write in flight");
    }

    [Fact]
    public async Task Check_of_a_snapshot_against_postgres_being_written_counts_the_writes_as_changed_since_the_snapshot()
    {
        var data = new DataGen(72).NewDataSet(40);
        var (schema, stores) = await database.LoadAsync(data);
        var snapshot = _folder.File("s.jsonl");
        var export = await Cli.RunAsync(["export", "--source", database.ConnectionString, "--source-schema", schema, "--output", snapshot]);
        Assert.True(export.ExitCode == 0, export.ToString());
        using var stop = new CancellationTokenSource();
        var workload = WriteStampedAsync(stores, data, stop);
        await Task.Delay(500);

        var result = await Cli.RunAsync(
            ["check", "--recheck", "1", "--format", "json", "--source", snapshot, "--target", database.ConnectionString, "--target-schema", schema]);
        await stop.CancelAsync();
        await workload;

        Assert.True(result.ExitCode == 0, result.ToString());
        var totals = result.Json().GetProperty("totals");
        Assert.Equal(0, totals.GetProperty("differences").GetInt64());
        Assert.True(totals.GetProperty("changed_since_snapshot").GetInt64() > 0, result.Out);
    }

    // The workloads stop between two writes (never inside a pair), so they take the source of the stop signal, not its token.

    /// <summary>
    /// Writes every kind to the source, then the same records (ids and times as the source made them) to the target a
    /// few milliseconds later, as a dual write whose second write lags. Returns how many records it wrote.
    /// </summary>
    private static async Task<int> DualWriteAsync(LiveStoreSource source, LiveStoreSource target, CancellationTokenSource stop, int seed)
    {
        var random = new Random(seed);
        var projects = (await source.Graph.StreamProjectsAsync().ToListAsync()).Select(p => p.Key).ToList();
        var contributors = (await source.Graph.StreamContributorsAsync().ToListAsync()).Select(c => c.Id).ToList();
        var assets = (await source.Graph.StreamAssetsAsync().ToListAsync()).Select(a => a.Id).ToList();
        // Each writer updates only its own tasks: two writers racing on one key is the dual-write decorator's problem, not this test's.
        var tasks = (await source.Tasks.StreamTasksAsync().ToListAsync()).Select(t => t.Id).Where((_, i) => i % 2 == seed % 2).ToList();
        var writes = 0;
        while (!stop.IsCancellationRequested)
        {
            switch (random.Next(7))
            {
                case 0:
                    var project = await source.Graph.UpsertProjectAsync(new ProjectUpsert("npm", $"live{seed}-{random.Next(30)}") { Version = random.Next(100).ToString(System.Globalization.CultureInfo.InvariantCulture) });
                    await Lag(random);
                    await target.Graph.ImportProjectsAsync([project]);
                    projects.Add(project.Key);
                    break;
                case 1:
                    var (from, to) = (projects[random.Next(projects.Count)], projects[random.Next(projects.Count)]);
                    if (from != to && await source.Graph.AddDependencyAsync(from, to))
                    {
                        await Lag(random);
                        await target.Graph.ImportDependenciesAsync([new DependencyEdge(from, to)]);
                    }

                    break;
                case 2:
                    var contribution = await source.Graph.CreateContributionAsync(new NewContribution(
                        contributors[random.Next(contributors.Count)], assets[random.Next(assets.Count)], random.Next(1000) / 100m, 0.5m));
                    await Lag(random);
                    await target.Graph.ImportContributionsAsync([contribution]);
                    break;
                case 3:
                    var contributor = await source.Graph.CreateContributorAsync(new NewContributor("new") { Email = $"n{Guid.NewGuid():N}@example.org" });
                    await Lag(random);
                    await target.Graph.ImportContributorsAsync([contributor]);
                    contributors.Add(contributor.Id);
                    break;
                case 4:
                    var created = await source.Tasks.CreateTaskAsync(new NewAgentTask("live work", AgentTaskType.Impl));
                    await Lag(random);
                    await target.Tasks.ImportTasksAsync([created]);
                    tasks.Add(created.Id);
                    break;
                default:
                    var updated = await source.Tasks.UpdateTaskAsync(tasks[random.Next(tasks.Count)], new AgentTaskUpdate { Progress = random.Next(101) });
                    await Lag(random);
                    await target.Tasks.ImportTasksAsync([updated]);
                    break;
            }

            writes++;
        }

        return writes;
    }

    /// <summary>Writes that stamp their records with the current time: upserts, new and updated tasks, new contributors and assets.</summary>
    private static async Task WriteStampedAsync(LiveStoreSource stores, DataSet data, CancellationTokenSource stop)
    {
        var random = new Random(9);
        while (!stop.IsCancellationRequested)
        {
            switch (random.Next(4))
            {
                case 0:
                    var key = data.Projects[random.Next(data.Projects.Count)].Key;
                    await stores.Graph.UpsertProjectAsync(new ProjectUpsert(key.Ecosystem, key.Name) { Description = "rewritten" });
                    break;
                case 1:
                    await stores.Tasks.UpdateTaskAsync(data.Tasks[random.Next(data.Tasks.Count)].Id, new AgentTaskUpdate { Output = "more" });
                    break;
                case 2:
                    await stores.Tasks.CreateTaskAsync(new NewAgentTask("new work", AgentTaskType.Test));
                    break;
                default:
                    await stores.Graph.CreateAssetAsync(new NewAsset("new asset", AssetType.Data));
                    break;
            }

            await Task.Delay(random.Next(3));
        }
    }

    /// <summary>Keys a check found different while writes were in flight: resolved by the recheck, or changed during the check.</summary>
    private static long InFlight(CliResult result)
        => result.ExitCode is 0 or 1
            ? result.Json().GetProperty("recheck").GetProperty("resolved").GetInt64() + result.Json().GetProperty("totals").GetProperty("changed_since_snapshot").GetInt64()
            : 0;

    private static Task Lag(Random random) => Task.Delay(random.Next(1, 6));
}

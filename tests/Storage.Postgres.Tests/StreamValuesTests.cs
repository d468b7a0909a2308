namespace Storage.Postgres.Tests;

/// <summary>
/// The whole-table streams return every stored value as it was imported: each nullable column both null and set,
/// non-empty JSON, every enum value, the edges of the numeric ranges. They guard the row readers of the scans,
/// which the keyed reads do not share.
/// </summary>
[RequiresPostgres]
public sealed class StreamValuesTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 30, 45, TimeSpan.Zero);
    private static readonly JsonMetadata Metadata = JsonMetadata.Parse("""{"b":[1,2.50,{"c":null}],"a":"é 😀 \"q\"","n":true}""");

    [Fact]
    public async Task StreamProjectsAsync_returns_null_and_set_columns_and_counts_as_imported()
    {
        var store = await StoreAsync();
        Project[] projects =
        [
            new("npm", "all-null", null, null, null, null, 0, Start, Start),
            new("npm", "all-set", "1.2.3", "a library é 😀", "https://example.org", "https://example.org/repo", 2, Start.AddTicks(10), Start.AddDays(1)),
            new("pypi", "one", null, "only a description", null, null, 1, Start, Start),
        ];
        await store.ImportProjectsAsync(projects.Select(p => p with { DependencyCount = 0 }).ToArray());
        await store.ImportDependenciesAsync(
        [
            new DependencyEdge(projects[1].Key, projects[0].Key),
            new DependencyEdge(projects[1].Key, projects[2].Key),
            new DependencyEdge(projects[2].Key, projects[0].Key),
        ]);

        Assert.Equal(projects, await ToListAsync(store.StreamProjectsAsync()));
    }

    [Fact]
    public async Task StreamContributorsAsync_and_StreamAssetsAsync_return_nulls_json_and_every_asset_type()
    {
        var store = await StoreAsync();
        Contributor[] contributors =
        [
            new(Id(1), "nulls", null, null, null, JsonMetadata.Empty, Start, Start),
            new(Id(2), "set é", "ada@example.org", "ada", "0xabc", Metadata, Start, Start.AddSeconds(1)),
        ];
        var assets = Enum.GetValues<AssetType>()
            .Select((type, i) => new Asset(Id(10 + i), $"asset {type}", i % 2 == 0 ? null : "described", type, 0m, i == 0 ? Metadata : JsonMetadata.Empty, Start, Start))
            .ToArray();
        await store.ImportContributorsAsync(contributors);
        await store.ImportAssetsAsync(assets);

        Assert.Equal(contributors, await ToListAsync(store.StreamContributorsAsync()));
        Assert.Equal(assets, await ToListAsync(store.StreamAssetsAsync()));
    }

    [Fact]
    public async Task StreamContributionsAsync_returns_json_and_the_ends_of_the_numeric_ranges()
    {
        var store = await StoreAsync();
        var contributor = new Contributor(Id(1), "c", null, null, null, JsonMetadata.Empty, Start, Start);
        var asset = new Asset(Id(2), "a", null, AssetType.Data, 0m, JsonMetadata.Empty, Start, Start);
        await store.ImportContributorsAsync([contributor]);
        await store.ImportAssetsAsync([asset]);
        Contribution[] contributions =
        [
            new(Id(20), contributor.Id, asset.Id, 0m, 0m, JsonMetadata.Empty, Start),
            new(Id(21), contributor.Id, asset.Id, 0.01m, 1m, Metadata, Start.AddTicks(10)),
            new(Id(22), contributor.Id, asset.Id, StorageLimits.MaxCostAmount, 0.57m, JsonMetadata.Empty, Start),
        ];
        await store.ImportContributionsAsync(contributions);

        Assert.Equal(contributions, await ToListAsync(store.StreamContributionsAsync()));
        Assert.Equal(contributions.Sum(c => c.CostAmount), (await ToListAsync(store.StreamAssetsAsync())).Single().TotalCost);
    }

    [Fact]
    public async Task StreamTasksAsync_returns_every_type_and_status_with_null_and_set_columns()
    {
        var dataSource = await database.EmptySchemaAsync();
        var store = new PostgresAgentTaskStore(dataSource, new ManualTimeProvider(), new SequentialIdGenerator());
        var tasks = new List<AgentTask>();
        foreach (var type in Enum.GetValues<AgentTaskType>())
        {
            foreach (var status in Enum.GetValues<AgentTaskStatus>())
            {
                var id = $"t-{(int)type}-{(int)status}";
                tasks.Add(new AgentTask(
                    id + "-null", "direction", type, status, null, null, null, JsonMetadata.Empty, 0, null, null, null, null, null, null, null, Start, Start));
                tasks.Add(new AgentTask(
                    id + "-set", "direction é 😀", type, status, "model", "run it", "output\nlines", Metadata, 100, "step", "which?", "this", "t1",
                    "worker", Start.AddTicks(10), Start.AddSeconds(1), Start, Start.AddMinutes(1)));
            }
        }

        await store.ImportTasksAsync(tasks);

        Assert.Equal(tasks.OrderBy(t => t.Id, StringComparer.Ordinal), await ToListAsync(store.StreamTasksAsync()));
    }

    private static Guid Id(int i) => new(i, 0, 0x7000, 0x80, 0, 0, 0, 0, 0, 0, 1);

    private async Task<PostgresGraphStore> StoreAsync()
        => new(await database.EmptySchemaAsync(), new ManualTimeProvider(), new SequentialIdGenerator());

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

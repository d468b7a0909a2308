namespace Storage.Postgres.Tests;

/// <summary>
/// <see cref="PostgresSnapshotRead"/>: every table read as of one moment, so what writers commit while the tables are
/// read one after another never shows half (an edge without its project, a contribution without its asset).
/// </summary>
[RequiresPostgres]
public sealed class SnapshotReadTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Writes_committed_after_the_read_began_are_not_read_by_any_of_its_streams()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        var graph = new PostgresGraphStore(dataSource, TimeProvider.System, new GuidV7IdGenerator(TimeProvider.System));
        var tasks = new PostgresAgentTaskStore(dataSource, TimeProvider.System, new GuidV7IdGenerator(TimeProvider.System));
        var early = await graph.UpsertProjectAsync(new ProjectUpsert("npm", "early"));
        var contributor = await graph.CreateContributorAsync(new NewContributor("Ada"));

        await using var read = await PostgresSnapshotRead.BeginAsync(dataSource);

        // The moment is taken when the read begins, not when its first stream starts.
        await graph.UpsertProjectAsync(new ProjectUpsert("npm", "between"));
        Assert.Equal([early.Key], await ListAsync(read.StreamProjectsAsync(), p => p.Key));

        // While the projects are written out, a writer adds a project with an edge to it, an asset with a
        // contribution, and a task: each on its own connection, committed.
        var late = await graph.UpsertProjectAsync(new ProjectUpsert("npm", "late"));
        await graph.AddDependencyAsync(early.Key, late.Key);
        var asset = await graph.CreateAssetAsync(new NewAsset("late asset", AssetType.Code));
        await graph.CreateContributionAsync(new NewContribution(contributor.Id, asset.Id, 1.25m, 0.5m));
        await tasks.CreateTaskAsync(new NewAgentTask("late task", AgentTaskType.Impl));

        Assert.Empty(await ListAsync(read.StreamDependenciesAsync(), e => e));
        Assert.Equal([contributor.Id], await ListAsync(read.StreamContributorsAsync(), c => c.Id));
        Assert.Empty(await ListAsync(read.StreamAssetsAsync(), a => a.Id));
        Assert.Empty(await ListAsync(read.StreamContributionsAsync(), c => c.Id));
        Assert.Empty(await ListAsync(read.StreamTasksAsync(), t => t.Id));

        // The stores' own streams read each table as of its own moment, and see them.
        Assert.Single(await ListAsync(graph.StreamDependenciesAsync(), e => e));
        Assert.Single(await ListAsync(graph.StreamContributionsAsync(), c => c.Id));
    }

    [Fact]
    public async Task The_read_writes_nothing()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        await using var read = await PostgresSnapshotRead.BeginAsync(dataSource);
        await using var readOnly = new Npgsql.NpgsqlCommand("SHOW transaction_read_only", read.Connection);

        Assert.Equal("on", await readOnly.ExecuteScalarAsync());
    }

    private static async Task<List<TKey>> ListAsync<T, TKey>(IAsyncEnumerable<T> stream, Func<T, TKey> key)
    {
        var list = new List<TKey>();
        await foreach (var item in stream)
        {
            list.Add(key(item));
        }

        return list;
    }
}

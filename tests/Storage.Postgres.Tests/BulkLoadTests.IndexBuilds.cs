using Npgsql;

namespace Storage.Postgres.Tests;

/// <summary>
/// The indexes a bulk load builds after its commit: listed with the rows in <c>pending_index_builds</c>, built by
/// <see cref="PostgresIndexBuilds.RunPendingAsync"/>, and left listed when a build fails or the load stops first.
/// </summary>
public sealed partial class BulkLoadTests
{
    private const string PendingSql = "SELECT index_name FROM pending_index_builds ORDER BY position";

    [Fact]
    public async Task A_load_stopped_after_its_commit_answers_every_query_and_its_listed_indexes_are_built_later()
    {
        var data = Data(30);
        await using var dataSource = await database.CreateSchemaAsync();
        var shape = await ShapeAsync(dataSource);
        var (graph, tasks) = Stores(dataSource);
        await using (var load = await PostgresBulkLoad.BeginAsync(dataSource))
        {
            Assert.Empty(await LoadAsync(await load.TryBeginProjectsAsync(), data.Projects));
            Assert.Empty(await LoadAsync(await load.TryBeginTasksAsync(), data.Tasks));
            await load.CommitAsync();
        }

        // Committed, indexes not built (the process stopped here): the rows are there and queries answer.
        Assert.Equal(
            ["projects_description_trgm_idx", "projects_name_trgm_idx", "agent_tasks_attention_idx", "agent_tasks_created_idx",
                "agent_tasks_status_created_idx", "agent_tasks_status_type_created_idx", "agent_tasks_type_created_idx"],
            await PendingAsync(dataSource));
        Assert.NotEqual(shape, await ShapeAsync(dataSource));
        Assert.Equal(data.Projects, await ListAsync(graph.StreamProjectsAsync()));
        var found = await graph.SearchProjectsAsync(new ProjectSearch("ibrary 1"));
        Assert.NotEmpty(found);
        Assert.Equal(data.Tasks.Count, (await tasks.CountTasksByStatusAsync()).Total);
        Assert.Equal(7, await PostgresIndexBuilds.CountPendingAsync(dataSource));

        Assert.Equal(7, await PostgresIndexBuilds.RunPendingAsync(dataSource));

        Assert.Empty(await PendingAsync(dataSource));
        Assert.Equal(shape, await ShapeAsync(dataSource));
        Assert.Equal(found, await graph.SearchProjectsAsync(new ProjectSearch("ibrary 1")));
        Assert.Equal(0, await PostgresIndexBuilds.RunPendingAsync(dataSource));
    }

    [Fact]
    public async Task A_build_that_fails_stays_listed_and_the_ones_before_it_are_built()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        var shape = await ShapeAsync(dataSource);
        await using (var load = await PostgresBulkLoad.BeginAsync(dataSource))
        {
            Assert.Empty(await LoadAsync(await load.TryBeginProjectsAsync(), Data(5).Projects));
            await load.CommitAsync();
        }

        await using (var broken = dataSource.CreateCommand(
            "INSERT INTO pending_index_builds VALUES ('broken_idx', 'projects', 'CREATE INDEX broken_idx ON projects (no_such_column)', 100)"))
        {
            await broken.ExecuteNonQueryAsync();
        }

        var failure = await Assert.ThrowsAsync<PostgresException>(() => PostgresIndexBuilds.RunPendingAsync(dataSource, connections: 1));

        Assert.Equal(PostgresErrorCodes.UndefinedColumn, failure.SqlState);
        Assert.Equal(["broken_idx"], await PendingAsync(dataSource));
        await using (var remove = dataSource.CreateCommand("DELETE FROM pending_index_builds"))
        {
            await remove.ExecuteNonQueryAsync();
        }

        Assert.Equal(shape, await ShapeAsync(dataSource));
    }

    [Fact]
    public async Task Indexes_are_built_only_after_the_commit_and_an_index_built_by_hand_is_only_taken_off_the_list()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        var shape = await ShapeAsync(dataSource);
        await using (var load = await PostgresBulkLoad.BeginAsync(dataSource))
        {
            Assert.Empty(await LoadAsync(await load.TryBeginProjectsAsync(), Data(5).Projects));
            await Assert.ThrowsAsync<InvalidOperationException>(() => load.BuildIndexesAsync());
            await load.CommitAsync();
        }

        await using (var byHand = dataSource.CreateCommand("CREATE INDEX projects_name_trgm_idx ON projects USING gin (name public.gin_trgm_ops)"))
        {
            await byHand.ExecuteNonQueryAsync();
        }

        Assert.Equal(2, await PostgresIndexBuilds.RunPendingAsync(dataSource));
        Assert.Empty(await PendingAsync(dataSource));
        Assert.Equal(shape, await ShapeAsync(dataSource));
    }

    private static async Task<List<string>> PendingAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(PendingSql);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}

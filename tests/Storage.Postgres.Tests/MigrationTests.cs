using Dapper;
using Npgsql;
using Storage.InMemory;

namespace Storage.Postgres.Tests;

[RequiresPostgres]
public sealed class MigrationTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly int[] AllVersions = [.. PostgresMigration.All.Select(m => m.Version)];

    [Fact]
    public void Embedded_migrations_are_numbered_from_1_without_gaps()
    {
        Assert.Equal(Enumerable.Range(1, AllVersions.Length), AllVersions);
        Assert.All(PostgresMigration.All, m => Assert.False(string.IsNullOrWhiteSpace(m.Sql)));
    }

    [Fact]
    public async Task ApplyAsync_on_a_fresh_schema_applies_every_migration_and_records_it()
    {
        await using var dataSource = await database.DataSourceAsync("fresh");

        var applied = await PostgresMigrator.ApplyAsync(dataSource, "fresh");

        Assert.Equal(AllVersions, applied);
        Assert.Equal(AllVersions, await RecordedAsync(dataSource));
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM agent_tasks"));
    }

    [Fact]
    public async Task ApplyAsync_again_applies_nothing()
    {
        await using var dataSource = await database.DataSourceAsync("again");
        await PostgresMigrator.ApplyAsync(dataSource, "again");

        Assert.Empty(await PostgresMigrator.ApplyAsync(dataSource, "again"));
        Assert.Equal(AllVersions, await RecordedAsync(dataSource));
    }

    [Fact]
    public async Task Concurrent_runners_apply_each_migration_once()
    {
        await using var dataSource = await database.DataSourceAsync("racing");
        using var start = new ManualResetEventSlim();

        var runners = Enumerable.Range(0, 4)
            .Select(_ => Task.Run(async () =>
            {
                start.Wait();
                return await PostgresMigrator.ApplyAsync(dataSource, "racing");
            }))
            .ToArray();
        start.Set();
        var results = await Task.WhenAll(runners);

        Assert.Equal(AllVersions, results.SelectMany(r => r).Order());
        Assert.Single(results, r => r.Count > 0);
        Assert.Equal(AllVersions, await RecordedAsync(dataSource));
    }

    [Fact]
    public async Task Runners_of_different_schemas_in_one_new_database_race_safely_for_the_extension()
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("extension_race");
        var schemas = Enumerable.Range(0, 4).Select(i => $"tenant_{i}").ToArray();
        var dataSources = schemas.Select(s => PostgresStorageDataSource.Create(connectionString, s)).ToArray();
        try
        {
            var results = await Task.WhenAll(schemas.Select((s, i) => Task.Run(() => PostgresMigrator.ApplyAsync(dataSources[i], s))));

            Assert.All(results, r => Assert.Equal(AllVersions, r));
        }
        finally
        {
            foreach (var dataSource in dataSources)
            {
                await dataSource.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_schema_at_version_1_is_upgraded_and_existing_tasks_are_counted()
    {
        await using var dataSource = await database.DataSourceAsync("older");
        Assert.Equal([1], await PostgresMigrator.ApplyAsync(dataSource, "older", TimeProvider.System, targetVersion: 1));
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            // Rows written by an application that ran on version 1.
            await connection.ExecuteAsync("""
                INSERT INTO agent_tasks (id, direction, task_type, status, context, progress, created_at, updated_at)
                SELECT 'old-' || i, 'direction', 'spec', CASE WHEN i % 3 = 0 THEN 'failed' ELSE 'pending' END::agent_task_status,
                       '{}', 0, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
                FROM generate_series(1, 9) AS i
                """);
        }

        var applied = await PostgresMigrator.ApplyAsync(dataSource, "older");

        Assert.Equal(AllVersions.Skip(1), applied);
        var store = new PostgresAgentTaskStore(dataSource, TimeProvider.System, new SequentialIdGenerator());
        Assert.Equal(new AgentTaskCounts(6, 0, 0, 3, 0), await store.CountTasksByStatusAsync());
        Assert.Equal(3, (await store.ListTasksAsync(new AgentTaskQuery { Status = AgentTaskStatus.Failed })).Total);
        await store.CreateTaskAsync(new NewAgentTask("new", AgentTaskType.Spec) { Id = "new-1" });
        Assert.Equal(new AgentTaskCounts(7, 0, 0, 3, 0), await store.CountTasksByStatusAsync());
    }

    [Fact]
    public async Task A_schema_at_version_3_whose_backfill_left_the_dependents_index_listed_gets_it_built_by_name_and_off_the_list()
    {
        await using var dataSource = await database.DataSourceAsync("listed");
        await PostgresMigrator.ApplyAsync(dataSource, "listed", TimeProvider.System, targetVersion: 3);
        var store = new PostgresGraphStore(dataSource, new ManualTimeProvider(), new SequentialIdGenerator());
        await store.ImportProjectsAsync([.. Enumerable.Range(0, 300).Select(i => new Project(
            i % 2 == 0 ? "npm" : "pypi", $"p{i}", null, null, null, null, 0, ManualTimeProvider.DefaultStart, ManualTimeProvider.DefaultStart))]);
        await store.ImportDependenciesAsync([.. Enumerable.Range(1, 299).Select(i => new DependencyEdge(
            new ProjectKey(i % 2 == 0 ? "npm" : "pypi", $"p{i}"), new ProjectKey("npm", "p0")))]);
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            // An index of the same name in public (on the migrations' search path), which is another schema's to keep.
            await connection.ExecuteAsync("CREATE TABLE public.other_dependencies (x integer); CREATE INDEX project_dependencies_to_idx ON public.other_dependencies (x)");

            // What a backfill stopped after its commit leaves: the index dropped, and listed with its old definition.
            var definition = await connection.ExecuteScalarAsync<string>("SELECT pg_get_indexdef('project_dependencies_to_idx'::regclass)");
            Assert.Contains("(to_ecosystem, to_name, from_ecosystem, from_name)", definition, StringComparison.Ordinal);
            await connection.ExecuteAsync("DROP INDEX project_dependencies_to_idx");
            await connection.ExecuteAsync(
                "INSERT INTO pending_index_builds (index_name, table_name, definition, position) VALUES ('project_dependencies_to_idx', 'project_dependencies', @Definition, 1)",
                new { Definition = definition });
        }

        Assert.Equal([4], await PostgresMigrator.ApplyAsync(dataSource, "listed"));

        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            Assert.Contains(
                "(to_name, to_ecosystem, from_ecosystem, from_name)",
                await connection.ExecuteScalarAsync<string>("SELECT pg_get_indexdef('project_dependencies_to_idx'::regclass)"),
                StringComparison.Ordinal);
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM pending_index_builds"));
            Assert.True(await connection.ExecuteScalarAsync<bool>("SELECT to_regclass('public.project_dependencies_to_idx') IS NOT NULL"));
            await connection.ExecuteAsync("DROP TABLE public.other_dependencies");
        }

        Assert.Equal(299, await store.CountDependentsAsync(new ProjectKey("npm", "p0")));
    }

    [Fact]
    public async Task The_dependents_look_up_is_served_by_the_dependents_index_in_its_order()
    {
        await using var dataSource = await database.DataSourceAsync("dependents");
        await PostgresMigrator.ApplyAsync(dataSource, "dependents");
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("ANALYZE project_dependencies; SET enable_seqscan = off; SET enable_bitmapscan = off");

        var plan = string.Join('\n', await connection.QueryAsync<string>("""
            EXPLAIN SELECT from_ecosystem, from_name FROM project_dependencies
            WHERE to_ecosystem = 'npm' AND to_name = 'react' ORDER BY from_ecosystem, from_name
            """));

        Assert.Contains("project_dependencies_to_idx", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Sort", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_rejects_a_schema_name_that_is_not_a_simple_identifier()
    {
        await using var dataSource = await database.DataSourceAsync("valid");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => PostgresMigrator.ApplyAsync(dataSource, "bad\"; DROP TABLE x; --"));
        Assert.Equal("schema", error.ParamName);
    }

    private static async Task<int[]> RecordedAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")];
    }
}

using Npgsql;

namespace Storage.Postgres.Tests;

/// <summary>
/// <see cref="PostgresBulkLoad"/>: empty tables loaded in one piece end as the imports would leave them, with their
/// indexes and constraints as the migrations made them; a table is taken only when empty and free, and a load rolls
/// back whole.
/// </summary>
[RequiresPostgres]
public sealed partial class BulkLoadTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    // Every index and constraint of the schema, as the catalog describes it, with whether each constraint is validated.
    private const string ShapeSql = """
        SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relnamespace = current_schema()::regnamespace
        UNION ALL
        SELECT k.conname || ': ' || pg_get_constraintdef(k.oid) || ' validated ' || k.convalidated
        FROM pg_constraint k WHERE k.connamespace = current_schema()::regnamespace
        ORDER BY 1
        """;

    [Fact]
    public async Task A_bulk_load_of_every_kind_ends_as_the_imports_would_leave_the_tables()
    {
        var data = Data(40);
        await using var imported = await database.CreateSchemaAsync();
        var (importedGraph, importedTasks) = Stores(imported);
        await importedGraph.ImportProjectsAsync(data.Projects);
        await importedGraph.ImportDependenciesAsync(data.Edges);
        await importedGraph.ImportContributorsAsync(data.Contributors);
        await importedGraph.ImportAssetsAsync(data.Assets);
        await importedGraph.ImportContributionsAsync(data.Contributions);
        await importedTasks.ImportTasksAsync(data.Tasks);

        await using var loaded = await database.CreateSchemaAsync();
        var shape = await ShapeAsync(loaded);
        var (graph, tasks) = Stores(loaded);
        await using (var load = await PostgresBulkLoad.BeginAsync(loaded))
        {
            Assert.Empty(await LoadAsync(await load.TryBeginProjectsAsync(), data.Projects));
            Assert.Empty(await LoadAsync(await load.TryBeginDependenciesAsync(), data.Edges));
            Assert.Empty(await LoadAsync(await load.TryBeginContributorsAsync(), data.Contributors));
            Assert.Empty(await LoadAsync(await load.TryBeginAssetsAsync(), data.Assets));
            Assert.Empty(await LoadAsync(await load.TryBeginContributionsAsync(), data.Contributions));
            Assert.Empty(await LoadAsync(await load.TryBeginTasksAsync(), data.Tasks));
            await load.CommitAsync();
            await load.BuildIndexesAsync();
        }

        Assert.Equal(shape, await ShapeAsync(loaded));
        Assert.Equal(await ListAsync(importedGraph.StreamProjectsAsync()), await ListAsync(graph.StreamProjectsAsync()));
        Assert.Equal(await ListAsync(importedGraph.StreamDependenciesAsync()), await ListAsync(graph.StreamDependenciesAsync()));
        Assert.Equal(await ListAsync(importedGraph.StreamContributorsAsync()), await ListAsync(graph.StreamContributorsAsync()));
        Assert.Equal(await ListAsync(importedGraph.StreamAssetsAsync()), await ListAsync(graph.StreamAssetsAsync()));
        Assert.Equal(await ListAsync(importedGraph.StreamContributionsAsync()), await ListAsync(graph.StreamContributionsAsync()));
        Assert.Equal(await ListAsync(importedTasks.StreamTasksAsync()), await ListAsync(tasks.StreamTasksAsync()));
        Assert.Equal(await importedTasks.CountTasksByStatusAsync(), await tasks.CountTasksByStatusAsync());
        Assert.Contains(await ListAsync(graph.StreamAssetsAsync()), a => a.TotalCost > 0);
        var search = new ProjectSearch("ibrary 1");
        Assert.NotEmpty(await graph.SearchProjectsAsync(search));
        Assert.Equal(await importedGraph.SearchProjectsAsync(search), await graph.SearchProjectsAsync(search));
    }

    [Fact]
    public async Task A_table_that_holds_a_row_is_left_to_the_imports_unlocked_and_unchanged()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        var (graph, _) = Stores(dataSource);
        var projects = Data(3).Projects;
        await graph.ImportProjectsAsync(projects.Take(1).ToList());
        var shape = await ShapeAsync(dataSource);

        await using (var load = await PostgresBulkLoad.BeginAsync(dataSource))
        {
            Assert.Null(await load.TryBeginProjectsAsync());

            // The load keeps no lock on it: an import on another connection goes through while the load is open.
            await graph.ImportProjectsAsync(projects.Skip(1).ToList()).WaitAsync(TimeSpan.FromSeconds(20));
        }

        Assert.Equal(shape, await ShapeAsync(dataSource));
        Assert.Equal(projects, await ListAsync(graph.StreamProjectsAsync()));
    }

    [Fact]
    public async Task A_table_another_session_holds_is_left_to_the_imports_and_the_load_goes_on()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        await using var other = await dataSource.OpenConnectionAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var read = new NpgsqlCommand("SELECT count(*) FROM projects", other))
        {
            await read.ExecuteScalarAsync();
        }

        await using var load = await PostgresBulkLoad.BeginAsync(dataSource);
        Assert.Null(await load.TryBeginProjectsAsync());

        await transaction.RollbackAsync();
        Assert.NotNull(await load.TryBeginProjectsAsync());
    }

    [Fact]
    public async Task A_role_that_may_only_read_and_write_rows_is_left_to_the_imports()
    {
        await using var owned = await database.CreateSchemaAsync();
        var schema = (string)(await owned.CreateCommand("SELECT current_schema()").ExecuteScalarAsync())!;
        var role = $"dml_{schema}";
        await using (var grant = owned.CreateCommand($"""
            CREATE ROLE {role} LOGIN;
            GRANT USAGE ON SCHEMA {schema} TO {role};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role};
            """))
        {
            await grant.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(await database.ConnectionStringAsync()) { Username = role };
        await using var dataSource = PostgresStorageDataSource.Create(builder.ConnectionString, schema);
        var shape = await ShapeAsync(dataSource);

        await using (var load = await PostgresBulkLoad.BeginAsync(dataSource))
        {
            Assert.Null(await load.TryBeginProjectsAsync());
            Assert.Null(await load.TryBeginTasksAsync());
            await load.CommitAsync();
            await load.BuildIndexesAsync();
        }

        var (graph, _) = Stores(dataSource);
        var projects = Data(3).Projects;
        await graph.ImportProjectsAsync(projects);
        Assert.Equal(projects, await ListAsync(graph.StreamProjectsAsync()));
        Assert.Equal(shape, await ShapeAsync(dataSource));
    }

    [Fact]
    public async Task A_load_disposed_before_its_commit_leaves_every_table_empty_whole_and_free()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        var (graph, _) = Stores(dataSource);
        var data = Data(10);
        var shape = await ShapeAsync(dataSource);

        await using (var load = await PostgresBulkLoad.BeginAsync(dataSource))
        {
            Assert.Empty(await LoadAsync(await load.TryBeginProjectsAsync(), data.Projects));
            var edges = await load.TryBeginDependenciesAsync();
            await edges!.WriteAsync(data.Edges);
            Assert.Equal(data.Edges.Count, edges.Rows);
            await Assert.ThrowsAsync<InvalidOperationException>(() => load.CommitAsync());
        }

        Assert.Empty(await ListAsync(graph.StreamProjectsAsync()));
        Assert.Empty(await ListAsync(graph.StreamDependenciesAsync()));
        Assert.Equal(shape, await ShapeAsync(dataSource));
        await graph.ImportProjectsAsync(data.Projects);
        await graph.ImportDependenciesAsync(data.Edges);
        Assert.Equal(data.Edges, await ListAsync(graph.StreamDependenciesAsync()));
    }

    [Fact]
    public async Task A_load_outlives_an_idle_in_transaction_limit_of_its_role()
    {
        await using var migrated = await database.CreateSchemaAsync();
        var schema = new NpgsqlConnectionStringBuilder(migrated.ConnectionString).SearchPath!;

        // Connections on which a transaction idle for 200 ms is ended by the server, as a role or database setting would.
        var limited = new NpgsqlConnectionStringBuilder(await database.ConnectionStringAsync()) { Options = "-c idle_in_transaction_session_timeout=200" };
        await using var dataSource = PostgresStorageDataSource.Create(limited.ConnectionString, schema);
        var data = Data(10);

        await using (var load = await PostgresBulkLoad.BeginAsync(dataSource))
        {
            Assert.Empty(await LoadAsync(await load.TryBeginProjectsAsync(), data.Projects));
            await Task.Delay(TimeSpan.FromSeconds(1)); // the caller reads its next kind
            Assert.Empty(await LoadAsync(await load.TryBeginDependenciesAsync(), data.Edges));
            await load.CommitAsync();
            await load.BuildIndexesAsync();
        }

        var (graph, _) = Stores(migrated);
        Assert.Equal(data.Edges, await ListAsync(graph.StreamDependenciesAsync()));
    }

    [Fact]
    public async Task A_load_cancelled_while_its_copy_ends_stops_the_server_and_frees_the_table()
    {
        await using var dataSource = await database.CreateSchemaAsync();

        // A statement trigger that takes a minute: the end of the COPY runs it, as it runs the asset totals' and task
        // counts' triggers over every row.
        await using (var slow = dataSource.CreateCommand("""
            CREATE FUNCTION slow_statement() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(60); RETURN NULL; END $$;
            CREATE TRIGGER slow_statement AFTER INSERT ON projects FOR EACH STATEMENT EXECUTE FUNCTION slow_statement();
            """))
        {
            await slow.ExecuteNonQueryAsync();
        }

        var data = Data(10);
        using var cancel = new CancellationTokenSource();
        await using (var load = await PostgresBulkLoad.BeginAsync(dataSource))
        {
            var projects = await load.TryBeginProjectsAsync();
            await projects!.WriteAsync(data.Projects);
            cancel.CancelAfter(TimeSpan.FromSeconds(1));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => projects.BuildAsync(cancel.Token));
        }

        // The server stopped too, and rolled back: the table is free (a backend left running would hold it for a minute).
        await using var read = dataSource.CreateCommand("SET lock_timeout = '10s'; SELECT count(*) FROM projects");
        Assert.Equal(0L, await read.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_built_table_reads_back_its_first_rows_in_key_order_before_the_commit()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        var (graph, tasks) = Stores(dataSource);
        var data = Data(10);
        await using (var load = await PostgresBulkLoad.BeginAsync(dataSource))
        {
            var projects = await FirstAsync(await load.TryBeginProjectsAsync(), data.Projects);
            var edges = await FirstAsync(await load.TryBeginDependenciesAsync(), data.Edges);
            var contributors = await FirstAsync(await load.TryBeginContributorsAsync(), data.Contributors);
            var assets = await FirstAsync(await load.TryBeginAssetsAsync(), data.Assets);
            var contributions = await FirstAsync(await load.TryBeginContributionsAsync(), data.Contributions);
            var agentTasks = await FirstAsync(await load.TryBeginTasksAsync(), data.Tasks);
            await load.CommitAsync();
            await load.BuildIndexesAsync();

            // Projects' dependency counts are read before their edges are loaded: compare keys.
            Assert.Equal((await ListAsync(graph.StreamProjectsAsync())).Take(3).Select(p => p.Key), projects.Select(p => p.Key));
            Assert.Equal((await ListAsync(graph.StreamDependenciesAsync())).Take(3), edges);
            Assert.Equal((await ListAsync(graph.StreamContributorsAsync())).Take(3), contributors);
            Assert.Equal((await ListAsync(graph.StreamContributionsAsync())).Take(3), contributions);
            Assert.Equal((await ListAsync(tasks.StreamTasksAsync())).Take(3), agentTasks);
            Assert.Equal((await ListAsync(graph.StreamAssetsAsync())).Take(3).Select(a => a.Id), assets.Select(a => a.Id));
        }
    }

    private static async Task<IReadOnlyList<T>> FirstAsync<T>(PostgresTableLoad<T>? table, IReadOnlyList<T> records)
    {
        Assert.Empty(await LoadAsync(table, records));
        var first = await table!.ReadFirstAsync(3);
        Assert.Equal(3, first.Count);
        return first;
    }

    [Fact]
    public async Task A_load_cancelled_while_it_builds_is_rolled_back_whole()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        var (graph, _) = Stores(dataSource);
        var data = Data(50);
        var shape = await ShapeAsync(dataSource);
        using var cancel = new CancellationTokenSource();

        await using (var load = await PostgresBulkLoad.BeginAsync(dataSource))
        {
            Assert.Empty(await LoadAsync(await load.TryBeginProjectsAsync(), data.Projects));
            var edges = await load.TryBeginDependenciesAsync();
            await edges!.WriteAsync(data.Edges);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => edges.BuildAsync(cancel.Token));
            await Assert.ThrowsAsync<ObjectDisposedException>(() => load.CommitAsync());
        }

        Assert.Empty(await ListAsync(graph.StreamProjectsAsync()));
        Assert.Empty(await ListAsync(graph.StreamDependenciesAsync()));
        Assert.Equal(shape, await ShapeAsync(dataSource));
        await using var again = await PostgresBulkLoad.BeginAsync(dataSource);
        Assert.NotNull(await again.TryBeginProjectsAsync());
    }

    [Fact]
    public async Task A_load_cancelled_while_the_server_builds_a_table_is_rolled_back_whole()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        var (graph, _) = Stores(dataSource);
        var shape = await ShapeAsync(dataSource);
        var projects = Enumerable.Range(0, 1_000)
            .Select(i => new Project("npm", $"p{i:D6}", null, $"library number {i} for things and stuff", null, null, 0, At, At))
            .ToList();

        // Another session holds the list of index builds, so the build waits on the server until the cancel reaches it.
        await using var holding = await HoldAsync(dataSource, "LOCK TABLE pending_index_builds IN EXCLUSIVE MODE");

        await using (var load = await PostgresBulkLoad.BeginAsync(dataSource))
        {
            var table = await load.TryBeginProjectsAsync();
            await table!.WriteAsync(projects);
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => table.BuildAsync(cancel.Token));

            // Cancelled on the server, part-way through a statement (57014 query_canceled), not before one began.
            Assert.Equal(PostgresErrorCodes.QueryCanceled, Assert.IsType<PostgresException>(cancelled.InnerException).SqlState);
            await Assert.ThrowsAsync<ObjectDisposedException>(() => load.CommitAsync());
        }

        await holding.DisposeAsync();
        Assert.Equal(0, await graph.CountProjectsAsync());
        Assert.Equal(shape, await ShapeAsync(dataSource));
    }

    [Fact]
    public async Task Records_the_imports_would_refuse_are_left_out_with_the_imports_messages()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        var shape = await ShapeAsync(dataSource);
        var (graph, _) = Stores(dataSource);
        var data = Data(4);
        var invalid = data.Projects[0] with { Ecosystem = "npm", Name = " " };
        var orphan = new DependencyEdge(data.Projects[0].Key, data.Projects[1].Key);
        var dangling = new DependencyEdge(data.Projects[1].Key, new ProjectKey("npm", "missing"));
        var nowhere = new DependencyEdge(new ProjectKey("npm", "missing-from"), new ProjectKey("npm", "missing-to"));
        var edges = new[] { orphan, dangling, nowhere, new DependencyEdge(data.Projects[1].Key, data.Projects[2].Key) };
        var first = data.Contributors[1];
        var sameEmail = data.Contributors[2] with { Email = first.Email };
        var missingAsset = data.Contributions[0] with { AssetId = Guid.Parse("0197a000-0000-7000-8000-00000000ffff") };
        var missingContributor = data.Contributions[1] with { ContributorId = sameEmail.Id };

        IReadOnlyList<PostgresBulkLoadRejection<Project>> projectRejects;
        IReadOnlyList<PostgresBulkLoadRejection<DependencyEdge>> edgeRejects;
        IReadOnlyList<PostgresBulkLoadRejection<Contributor>> contributorRejects;
        IReadOnlyList<PostgresBulkLoadRejection<Contribution>> contributionRejects;
        await using (var load = await PostgresBulkLoad.BeginAsync(dataSource))
        {
            projectRejects = await LoadAsync(await load.TryBeginProjectsAsync(), [.. data.Projects.Skip(1), invalid]);
            edgeRejects = await LoadAsync(await load.TryBeginDependenciesAsync(), edges);
            contributorRejects = await LoadAsync(await load.TryBeginContributorsAsync(), [data.Contributors[0], first, sameEmail, data.Contributors[3]]);
            Assert.Empty(await LoadAsync(await load.TryBeginAssetsAsync(), data.Assets));
            contributionRejects = await LoadAsync(await load.TryBeginContributionsAsync(), [missingAsset, missingContributor, data.Contributions[3]]);
            await load.CommitAsync();
            await load.BuildIndexesAsync();
        }

        Assert.Equal((invalid, await RefusedAsync(() => graph.ImportProjectsAsync([invalid]))), Pair(Assert.Single(projectRejects)));
        Assert.Equal(
            [
                (nowhere, await RefusedAsync(() => graph.ImportDependenciesAsync([nowhere]))),
                (orphan, await RefusedAsync(() => graph.ImportDependenciesAsync([orphan]))),
                (dangling, await RefusedAsync(() => graph.ImportDependenciesAsync([dangling]))),
            ],
            edgeRejects.Select(Pair).OrderBy(r => r.Record.From.Name, StringComparer.Ordinal).ThenBy(r => r.Record.To.Name, StringComparer.Ordinal));
        Assert.Equal((sameEmail, await RefusedAsync(() => graph.ImportContributorsAsync([sameEmail]))), Pair(Assert.Single(contributorRejects)));
        Assert.Equal(
            [
                (missingAsset, await RefusedAsync(() => graph.ImportContributionsAsync([missingAsset]))),
                (missingContributor, await RefusedAsync(() => graph.ImportContributionsAsync([missingContributor]))),
            ],
            contributionRejects.Select(Pair).OrderBy(r => r.Record.Id));
        Assert.Equal(data.Projects.Skip(1).Select(p => p.Key), (await ListAsync(graph.StreamProjectsAsync())).Select(p => p.Key));
        Assert.Equal([edges[3]], await ListAsync(graph.StreamDependenciesAsync()));
        Assert.Equal([data.Contributors[0], first, data.Contributors[3]], await ListAsync(graph.StreamContributorsAsync()));
        Assert.Equal([data.Contributions[3]], await ListAsync(graph.StreamContributionsAsync()));
        Assert.Equal(data.Contributions[3].CostAmount, (await graph.GetAssetAsync(data.Contributions[3].AssetId))!.TotalCost);

        // The refused contribution's asset exists: the COPY's trigger added its cost, the removal's trigger took it off.
        Assert.Equal(0m, (await graph.GetAssetAsync(missingContributor.AssetId))!.TotalCost);
        Assert.Equal(shape, await ShapeAsync(dataSource));
    }

    private static (T Record, string Reason) Pair<T>(PostgresBulkLoadRejection<T> rejection) => (rejection.Record, rejection.Reason);

    private static async Task<string> RefusedAsync(Func<Task> import) => (await Assert.ThrowsAnyAsync<StorageException>(import)).Message;

    private static async Task<IReadOnlyList<PostgresBulkLoadRejection<T>>> LoadAsync<T>(PostgresTableLoad<T>? table, IReadOnlyList<T> records)
    {
        Assert.NotNull(table);

        // Two writes, as a repair's batches come.
        await table.WriteAsync(records.Take(records.Count / 2).ToList());
        await table.WriteAsync(records.Skip(records.Count / 2).ToList());
        return await table.BuildAsync();
    }

    private static (PostgresGraphStore Graph, PostgresAgentTaskStore Tasks) Stores(NpgsqlDataSource dataSource)
        => (new PostgresGraphStore(dataSource, new ManualTimeProvider(), new SequentialIdGenerator()),
            new PostgresAgentTaskStore(dataSource, new ManualTimeProvider(), new SequentialIdGenerator()));

    private static async Task<string> ShapeAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(ShapeSql);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        Assert.NotEmpty(lines);
        return string.Join('\n', lines);
    }

    private static async Task<List<T>> ListAsync<T>(IAsyncEnumerable<T> stream)
    {
        var items = new List<T>();
        await foreach (var item in stream)
        {
            items.Add(item);
        }

        return items;
    }

    /// <summary><paramref name="n"/> projects with edges, contributors, assets, contributions and tasks, each kind in key order.</summary>
    private static BulkData Data(int n)
    {
        var projects = Enumerable.Range(0, n)
            .Select(i => new Project("npm", $"p{i:D3}", "1.0", i % 3 == 0 ? null : $"Library {i} for Things", null, null, 0, At.AddMinutes(i), At.AddMinutes(i)))
            .ToList();
        var edges = Enumerable.Range(0, n).SelectMany(i => new[] { (i + 1) % n, (i + 5) % n }.Distinct().Where(j => j != i)
                .Select(j => new DependencyEdge(projects[i].Key, projects[j].Key)))
            .OrderBy(e => e, Comparer<DependencyEdge>.Create(StorageOrdering.Edge.Compare))
            .ToList();
        var contributors = Enumerable.Range(0, n)
            .Select(i => new Contributor(Id(1, i), $"person {i}", i % 4 == 0 ? null : $"p{i}@example.org", null, null, JsonMetadata.Parse($$"""{"n": {{i}}}"""), At, At))
            .ToList();
        var assets = Enumerable.Range(0, n)
            .Select(i => new Asset(Id(2, i), $"asset {i}", null, (AssetType)(i % 4), 0m, JsonMetadata.Empty, At, At))
            .ToList();
        var contributions = Enumerable.Range(0, n)
            .Select(i => new Contribution(Id(3, i), Id(1, i % 7), Id(2, i % 5), 10.25m + i, 0.5m, JsonMetadata.Empty, At.AddSeconds(i)))
            .ToList();
        var statuses = Enum.GetValues<AgentTaskStatus>();
        var types = Enum.GetValues<AgentTaskType>();
        var tasks = Enumerable.Range(0, n)
            .Select(i => new AgentTask(
                $"task-{i:D3}", $"direction {i}", types[i % types.Length], statuses[i % statuses.Length], "model", null, null,
                JsonMetadata.Empty, i % 101, null, null, null, null, null, null, null, At.AddSeconds(i), At.AddSeconds(i)))
            .ToList();
        return new(projects, edges, contributors, assets, contributions, tasks);
    }

    private static Guid Id(int kind, int i) => new(i, (short)kind, 0x7000, 0x80, 0, 0, 0, 0, 0, 0, 1);

    private sealed record BulkData(
        List<Project> Projects,
        List<DependencyEdge> Edges,
        List<Contributor> Contributors,
        List<Asset> Assets,
        List<Contribution> Contributions,
        List<AgentTask> Tasks);
}

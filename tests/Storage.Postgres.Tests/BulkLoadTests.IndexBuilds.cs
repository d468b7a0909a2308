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
    public async Task A_build_that_fails_stays_listed_names_its_index_and_holds_up_no_other()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        var shape = await ShapeAsync(dataSource);
        await LoadProjectsAsync(dataSource);
        await ExecuteAsync(dataSource, """
            INSERT INTO pending_index_builds
            SELECT 'broken_idx', 'projects', format('CREATE INDEX broken_idx ON %I.projects USING btree (no_such_column)', current_schema()), 0
            """);

        var failure = await Assert.ThrowsAsync<PostgresIndexBuildException>(() => PostgresIndexBuilds.RunPendingAsync(dataSource, connections: 1));

        Assert.Equal(("broken_idx", "projects"), (failure.IndexName, failure.TableName));
        Assert.Equal(PostgresErrorCodes.UndefinedColumn, Assert.IsType<PostgresException>(failure.InnerException).SqlState);
        Assert.Equal(["broken_idx"], await PendingAsync(dataSource));
        await ExecuteAsync(dataSource, "DELETE FROM pending_index_builds");
        Assert.Equal(shape, await ShapeAsync(dataSource));
    }

    [Theory]
    [InlineData("CREATE INDEX projects_name_trgm_idx ON %I.projects USING btree (name); DROP TABLE %I.assets")]
    [InlineData("CREATE INDEX projects_name_trgm_idx ON %I.assets USING btree (name)")]
    [InlineData("DROP TABLE %I.assets")]
    public async Task A_listed_definition_that_is_not_one_create_index_of_its_name_on_its_table_is_not_run(string definition)
    {
        await using var dataSource = await database.CreateSchemaAsync();
        await LoadProjectsAsync(dataSource);
        await ExecuteAsync(dataSource, $"""
            UPDATE pending_index_builds SET definition = format('{definition}', current_schema(), current_schema())
            WHERE index_name = 'projects_name_trgm_idx'
            """);

        var failure = await Assert.ThrowsAsync<PostgresIndexBuildException>(() => PostgresIndexBuilds.RunPendingAsync(dataSource, connections: 1));

        Assert.Equal("projects_name_trgm_idx", failure.IndexName);
        Assert.Contains("is not one CREATE INDEX", failure.Message, StringComparison.Ordinal);
        Assert.Contains("projects_name_trgm_idx", await PendingAsync(dataSource));
        Assert.Equal(1, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM pg_class WHERE relname = 'assets' AND relnamespace = current_schema()::regnamespace"));
    }

    [Theory]
    [InlineData("INSERT")]
    [InlineData("UPDATE (definition)")]
    [InlineData("TRIGGER")]
    public async Task No_listed_definition_runs_while_roles_other_than_the_owner_may_write_the_list(string privilege)
    {
        await using var dataSource = await database.CreateSchemaAsync();
        await LoadProjectsAsync(dataSource);
        var role = $"writer_{Guid.NewGuid():N}";
        await ExecuteAsync(dataSource, $"CREATE ROLE {role} LOGIN; GRANT {privilege} ON pending_index_builds TO {role}");
        try
        {
            var failure = await Assert.ThrowsAsync<PostgresIndexBuildException>(() => PostgresIndexBuilds.RunPendingAsync(dataSource));

            Assert.Contains($"may be written by {role}", failure.Message, StringComparison.Ordinal);
            Assert.Equal(2, await PostgresIndexBuilds.CountPendingAsync(dataSource));
        }
        finally
        {
            await ExecuteAsync(dataSource, $"REVOKE ALL ON pending_index_builds FROM {role}; DROP ROLE {role}");
        }

        Assert.Equal(2, await PostgresIndexBuilds.RunPendingAsync(dataSource));
    }

    [Fact]
    public async Task A_load_whose_list_others_may_write_builds_the_indexes_in_its_transaction()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        var shape = await ShapeAsync(dataSource);
        var role = $"writer_{Guid.NewGuid():N}";
        await ExecuteAsync(dataSource, $"CREATE ROLE {role} LOGIN; GRANT INSERT ON pending_index_builds TO {role}");
        try
        {
            await using (var load = await PostgresBulkLoad.BeginAsync(dataSource))
            {
                Assert.False(load.DefersIndexes);
                Assert.Empty(await LoadAsync(await load.TryBeginProjectsAsync(), Data(5).Projects));
                await load.CommitAsync();
            }

            Assert.Empty(await PendingAsync(dataSource));
        }
        finally
        {
            await ExecuteAsync(dataSource, $"REVOKE ALL ON pending_index_builds FROM {role}; DROP ROLE {role}");
        }

        Assert.Equal(shape, await ShapeAsync(dataSource));
    }

    [Fact]
    public async Task An_index_of_the_listed_name_on_another_table_is_not_taken_for_the_listed_one()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        await LoadProjectsAsync(dataSource);
        await ExecuteAsync(dataSource, "CREATE INDEX projects_name_trgm_idx ON agent_tasks (id)");

        var failure = await Assert.ThrowsAsync<PostgresIndexBuildException>(() => PostgresIndexBuilds.RunPendingAsync(dataSource, connections: 1));

        Assert.Equal(PostgresErrorCodes.DuplicateTable, Assert.IsType<PostgresException>(failure.InnerException).SqlState);
        Assert.Contains("projects_name_trgm_idx", await PendingAsync(dataSource));
    }

    [Fact]
    public async Task A_build_cancelled_while_it_waits_for_its_table_stays_listed_and_builds_nothing()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        await LoadProjectsAsync(dataSource);
        await using var writing = await HoldAsync(dataSource, "LOCK TABLE projects IN ROW EXCLUSIVE MODE");

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PostgresIndexBuilds.RunPendingAsync(dataSource, cancellationToken: cancel.Token));

        await writing.DisposeAsync();
        Assert.Equal(["projects_description_trgm_idx", "projects_name_trgm_idx"], await PendingAsync(dataSource));
        Assert.Equal(0, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE 'projects_%trgm_idx'"));
    }

    [Fact]
    public async Task A_build_given_a_lock_timeout_fails_past_it_and_stays_listed()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        await LoadProjectsAsync(dataSource);
        await using var writing = await HoldAsync(dataSource, "LOCK TABLE projects IN ROW EXCLUSIVE MODE");

        var failure = await Assert.ThrowsAsync<PostgresIndexBuildException>(
            () => PostgresIndexBuilds.RunPendingAsync(dataSource, lockTimeout: TimeSpan.FromMilliseconds(200)));

        Assert.Equal(PostgresErrorCodes.LockNotAvailable, Assert.IsType<PostgresException>(failure.InnerException).SqlState);
        await writing.DisposeAsync();
        Assert.Equal(["projects_description_trgm_idx", "projects_name_trgm_idx"], await PendingAsync(dataSource));
        Assert.Equal(2, await PostgresIndexBuilds.RunPendingAsync(dataSource, lockTimeout: TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_unique_index_of_the_table_is_built_in_the_load_so_rows_that_break_it_fail_the_load()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        var (graph, _) = Stores(dataSource);
        await ExecuteAsync(dataSource, "CREATE UNIQUE INDEX projects_version_key ON projects (version)");
        await using (var load = await PostgresBulkLoad.BeginAsync(dataSource))
        {
            var table = await load.TryBeginProjectsAsync();
            await table!.WriteAsync(Data(5).Projects);
            var failure = await Assert.ThrowsAsync<PostgresException>(() => table.BuildAsync());
            Assert.Equal(PostgresErrorCodes.UniqueViolation, failure.SqlState);
        }

        Assert.Equal(0, await graph.CountProjectsAsync());
        Assert.Empty(await PendingAsync(dataSource));
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

        await ExecuteAsync(dataSource, "CREATE INDEX projects_name_trgm_idx ON projects USING gin (name public.gin_trgm_ops)");

        Assert.Equal(2, await PostgresIndexBuilds.RunPendingAsync(dataSource));
        Assert.Empty(await PendingAsync(dataSource));
        Assert.Equal(shape, await ShapeAsync(dataSource));
    }

    [Fact]
    public async Task A_load_of_a_schema_without_the_list_of_index_builds_is_refused_before_it_takes_a_table()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        await ExecuteAsync(dataSource, "DROP TABLE pending_index_builds");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresBulkLoad.BeginAsync(dataSource));

        Assert.Contains("pending_index_builds", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>Five projects bulk-loaded and committed, their two trigram indexes listed, not built.</summary>
    private static async Task LoadProjectsAsync(NpgsqlDataSource dataSource)
    {
        await using var load = await PostgresBulkLoad.BeginAsync(dataSource);
        Assert.Empty(await LoadAsync(await load.TryBeginProjectsAsync(), Data(5).Projects));
        await load.CommitAsync();
    }

    /// <summary>
    /// Takes a lock in a transaction of another connection, as a writer in the middle of its transaction holds one;
    /// disposing the result rolls it back and closes the connection.
    /// </summary>
    private static async Task<HeldLock> HoldAsync(NpgsqlDataSource dataSource, string lockSql)
    {
        var connection = await dataSource.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand(lockSql, connection, transaction))
        {
            await hold.ExecuteNonQueryAsync();
        }

        return new HeldLock(connection, transaction);
    }

    private sealed class HeldLock(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
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

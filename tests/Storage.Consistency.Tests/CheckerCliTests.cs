using System.Text.Json;
using Npgsql;
using Storage.Consistency.Tests.Support;
using Storage.InMemory;

namespace Storage.Consistency.Tests;

/// <summary>The tool run in-process (parse and invoke) against a real PostgreSQL and snapshot files.</summary>
[RequiresPostgres]
public sealed class CheckerCliTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Check_of_a_snapshot_against_the_same_data_in_postgres_exits_0()
    {
        var data = new DataGen(41).NewDataSet(12);
        var snapshot = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var (schema, _) = await database.LoadAsync(data);

        var result = await Cli.RunAsync(["check", "--source", snapshot, "--target", database.ConnectionString, "--target-schema", schema]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("total", result.Out, StringComparison.Ordinal);
        Assert.StartsWith("consistent: ", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_with_drift_exits_1_and_its_json_lists_exactly_the_differences()
    {
        var gen = new DataGen(42);
        var data = gen.NewDataSet(12);
        var target = data.Copy();
        foreach (var op in new[] { DriftAction.Missing, DriftAction.Extra, DriftAction.Change }.SelectMany(a => RecordKinds.All.Select(k => new DriftOp(k, a, 3, 5))))
        {
            DriftInjector.Apply(target, gen, op);
        }

        var snapshot = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var (schema, _) = await database.LoadAsync(target);

        var result = await Cli.RunAsync(["check", "--source", snapshot, "--target", database.ConnectionString, "--target-schema", schema, "--format", "json"]);

        Assert.True(result.ExitCode == 1, result.ToString());
        var json = result.Json();
        Assert.Equal(1, json.GetProperty("schema_version").GetInt32());
        Assert.Equal("check", json.GetProperty("command").GetString());
        Assert.False(json.GetProperty("consistent").GetBoolean());
        Assert.Equal(1, json.GetProperty("exit_code").GetInt32());
        Assert.Equal("snapshot", json.GetProperty("source").GetProperty("type").GetString());
        Assert.Equal("postgres", json.GetProperty("target").GetProperty("type").GetString());
        Assert.DoesNotContain("Password", result.Out, StringComparison.OrdinalIgnoreCase);
        var expected = Oracle.Differences(data, target);
        Assert.Equal(expected.Count, json.GetProperty("totals").GetProperty("differences").GetInt64());
        Assert.Equal(expected, Lines(json));
        Assert.Equal(
            ["project", "dependency", "contributor", "asset", "contribution", "agent_task"],
            json.GetProperty("kinds").EnumerateArray().Select(k => k.GetProperty("kind").GetString()));
        Assert.StartsWith("differences found: ", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_then_repair_backfills_an_empty_postgres_and_a_second_repair_writes_nothing()
    {
        var data = new DataGen(43).NewDataSet(20);
        var snapshot = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var schema = database.NewSchemaName();

        var migrate = await Cli.RunAsync(["migrate", "--target", database.ConnectionString, "--target-schema", schema, "--format", "json"]);
        var repair = await Cli.RunAsync(["repair", "--source", snapshot, "--target", database.ConnectionString, "--target-schema", schema, "--batch-size", "7", "--format", "json"]);
        var check = await Cli.RunAsync(["check", "--source", snapshot, "--target", database.ConnectionString, "--target-schema", schema]);
        var again = await Cli.RunAsync(["check", "--repair", "--source", snapshot, "--target", database.ConnectionString, "--target-schema", schema, "--format", "json"]);
        var migrateAgain = await Cli.RunAsync(["migrate", "--target", database.ConnectionString, "--target-schema", schema]);

        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.Equal([1, 2, 3, 4], migrate.Json().GetProperty("applied").EnumerateArray().Select(v => v.GetInt32()));
        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.Equal(data.Count, repair.Json().GetProperty("repair").GetProperty("written").GetInt64());
        Assert.True(repair.Json().GetProperty("repair").GetProperty("complete").GetBoolean());
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(0, again.Json().GetProperty("repair").GetProperty("written").GetInt64());
        Assert.Contains("up to date", migrateAgain.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Indexes_a_stopped_repair_left_listed_are_built_by_the_next_repair_and_by_migrate()
    {
        var data = new DataGen(44).NewDataSet(10);
        var snapshot = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var schema = database.NewSchemaName();
        var target = new[] { "--target", database.ConnectionString, "--target-schema", schema };
        Assert.Equal(0, (await Cli.RunAsync(["migrate", .. target])).ExitCode);
        Assert.Equal(0, (await Cli.RunAsync(["repair", "--source", snapshot, .. target])).ExitCode);

        // As a repair stopped between its commit and its index builds leaves the schema.
        await StopBeforeIndexBuildsAsync(schema);
        var repair = await Cli.RunAsync(["repair", "--source", snapshot, .. target]);
        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.Equal(0, await PendingCountAsync(schema));
        Assert.True(await IndexExistsAsync(schema));

        await StopBeforeIndexBuildsAsync(schema);
        var migrate = await Cli.RunAsync(["migrate", .. target, "--format", "json"]);
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.Equal(1, migrate.Json().GetProperty("indexes_built").GetInt32());
        Assert.Equal(0, await PendingCountAsync(schema));
        Assert.True(await IndexExistsAsync(schema));
    }

    [Fact]
    public async Task A_repair_into_a_schema_whose_list_of_index_builds_others_may_write_builds_the_indexes_in_its_load()
    {
        var data = new DataGen(45).NewDataSet(10);
        var snapshot = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var schema = database.NewSchemaName();
        var target = new[] { "--target", database.ConnectionString, "--target-schema", schema };
        Assert.Equal(0, (await Cli.RunAsync(["migrate", .. target])).ExitCode);
        _ = await ScalarAsync($"CREATE ROLE writer_{schema} LOGIN; GRANT INSERT ON \"{schema}\".pending_index_builds TO writer_{schema}");

        var repair = await Cli.RunAsync(["repair", "--source", snapshot, .. target]);
        var check = await Cli.RunAsync(["check", "--source", snapshot, .. target]);

        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Equal(0, await PendingCountAsync(schema));
        Assert.True(await IndexExistsAsync(schema));
    }

    [Fact]
    public async Task Repair_leaves_a_derived_value_the_source_gets_wrong_and_exits_1_saying_no_write_fixes_it()
    {
        var data = new DataGen(47).NewDataSet(6);
        var loner = data.Projects.First(p => data.Edges.All(e => e.From != p.Key));
        var path = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var lines = await File.ReadAllLinesAsync(path);
        var name = $"\"name\":\"{loner.Key.Name}\"";
        await File.WriteAllLinesAsync(path, lines.Select(l => l.Contains(name, StringComparison.Ordinal)
            ? l.Replace("\"dependency_count\":0", "\"dependency_count\":5", StringComparison.Ordinal)
            : l));
        var schema = database.NewSchemaName();
        string[] repair = ["repair", "--source", path, "--target", database.ConnectionString, "--target-schema", schema, "--format", "json"];

        var migrate = await Cli.RunAsync(["migrate", "--target", database.ConnectionString, "--target-schema", schema]);
        var backfill = await Cli.RunAsync(repair);
        var again = await Cli.RunAsync(repair);

        Assert.True(migrate.ExitCode == 0 && backfill.ExitCode == 0, backfill.ToString());
        Assert.True(again.ExitCode == 1, again.ToString());
        var project = again.Json().GetProperty("repair").GetProperty("kinds")[0];
        Assert.Equal((1L, 0L), (project.GetProperty("derived_unexplained").GetInt64(), project.GetProperty("derived_only").GetInt64()));
        Assert.Equal(1, again.Json().GetProperty("repair").GetProperty("unrepaired").GetInt64());
        Assert.Contains("1 records whose derived value (dependency_count, total_cost) their edges and contributions do not account for",
            Assert.Single(again.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schema_newer_than_the_tool_is_refused_by_every_command_with_both_versions()
    {
        var data = new DataGen(48).NewDataSet(3);
        var snapshot = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var schema = database.NewSchemaName();
        Assert.Equal(0, (await Cli.RunAsync(["migrate", "--target", database.ConnectionString, "--target-schema", schema])).ExitCode);
        await using (var connection = new Npgsql.NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new Npgsql.NpgsqlCommand(
                $"INSERT INTO \"{schema}\".schema_migrations (version, name, applied_at) VALUES (99, 'from a newer release', now())", connection);
            await insert.ExecuteNonQueryAsync();
        }

        var check = await Cli.RunAsync(["check", "--source", snapshot, "--target", database.ConnectionString, "--target-schema", schema]);
        var export = await Cli.RunAsync(["export", "--source", database.ConnectionString, "--source-schema", schema, "--output", _folder.File("out.jsonl")]);
        var migrate = await Cli.RunAsync(["migrate", "--target", database.ConnectionString, "--target-schema", schema]);

        foreach (var result in new[] { check, export, migrate })
        {
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains($"is at schema version 99, newer than this tool knows ({Storage.Postgres.PostgresMigration.All[^1].Version})",
                Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        }

        Assert.False(File.Exists(_folder.File("out.jsonl")));
    }

    [Fact]
    public async Task Migrate_into_a_schema_holding_a_foreign_table_of_the_same_name_exits_2_naming_it()
    {
        var schema = database.NewSchemaName();
        await using (var connection = new Npgsql.NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE SCHEMA \"{schema}\"; CREATE TABLE \"{schema}\".projects (x integer)", connection);
            await create.ExecuteNonQueryAsync();
        }

        var migrate = await Cli.RunAsync(["migrate", "--target", database.ConnectionString, "--target-schema", schema]);

        Assert.True(migrate.ExitCode == 2, migrate.ToString());
        Assert.Contains("relation \"projects\" already exists, made by something other than these migrations", Assert.Single(migrate.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_libpq_host_and_port_list_is_taken_as_the_library_takes_it()
    {
        var data = new DataGen(49).NewDataSet(3);
        var snapshot = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var (schema, stores) = await database.NewStoresAsync();
        await data.ImportAsync(stores.Graph, stores.Tasks);
        var parts = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);
        var (host, port) = (parts.Host, parts.Port);
        parts.Remove("Host");
        parts.Remove("Port");
        var listed = $"Host={host},{host};Port=1,{port};{parts.ConnectionString}";   // the first server refuses: the second answers

        var result = await Cli.RunAsync(["check", "--source", snapshot, "--target", listed, "--target-schema", schema]);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Theory]
    [InlineData("-c bogus_setting=1", "42704")]
    [InlineData("-c statement_timeout=soon", "22023")]
    public async Task A_server_setting_the_connection_string_passes_and_the_server_refuses_is_bad_input(string options, string state)
    {
        var data = new DataGen(50).NewDataSet(2);
        var snapshot = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var (schema, _) = await database.NewStoresAsync();
        var target = $"{database.ConnectionString};Options='{options}'";

        foreach (var args in new[]
        {
            new[] { "check", "--source", snapshot, "--target", target, "--target-schema", schema },
            ["migrate", "--target", target, "--target-schema", schema],
        })
        {
            var result = await Cli.RunAsync(args);

            Assert.True(result.ExitCode == 2, result.ToString());
            var line = Assert.Single(result.ErrorLines);
            Assert.Contains($"refused a setting of the connection ({state}: ", line, StringComparison.Ordinal);
            Assert.Contains("check Options= and the other settings in the connection string", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Repair_dry_run_lists_what_it_would_do_and_writes_nothing()
    {
        var data = new DataGen(44).NewDataSet(6);
        var snapshot = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var (schema, stores) = await database.NewStoresAsync();

        var result = await Cli.RunAsync(["repair", "--dry-run", "--source", snapshot, "--target", database.ConnectionString, "--target-schema", schema]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("would write project", result.Out, StringComparison.Ordinal);
        Assert.Contains(data.Projects[0].Key.ToString(), result.Out, StringComparison.Ordinal);
        Assert.StartsWith("dry run: ", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(0, (await DataSet.ReadAsync(stores.Graph, stores.Tasks)).Count);
    }

    [Fact]
    public async Task Repair_deletes_extra_projects_and_edges_only_when_asked()
    {
        var gen = new DataGen(45);
        var data = gen.NewDataSet(6);
        var target = data.Copy();
        var extra = gen.NewProject();
        target.Projects.Add(extra);
        target.Edges.Add(new DependencyEdge(extra.Key, target.Projects[0].Key));
        var snapshot = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var (schema, stores) = await database.LoadAsync(target);
        string[] args = ["repair", "--source", snapshot, "--target", database.ConnectionString, "--target-schema", schema];

        var kept = await Cli.RunAsync(args);
        var deleted = await Cli.RunAsync([.. args, "--delete-extras"]);

        Assert.True(kept.ExitCode == 1, kept.ToString());
        Assert.Contains("--delete-extras", kept.Error, StringComparison.Ordinal);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Null(await stores.Graph.GetProjectAsync(extra.Key));
    }

    [Fact]
    public async Task Export_writes_a_snapshot_that_matches_postgres()
    {
        var data = new DataGen(46).NewDataSet(15);
        var (schema, _) = await database.LoadAsync(data);
        var output = _folder.File("export.jsonl");

        var export = await Cli.RunAsync(["export", "--source", database.ConnectionString, "--source-schema", schema, "--output", output, "--format", "json"]);
        var check = await Cli.RunAsync(["check", "--source", output, "--target", database.ConnectionString, "--target-schema", schema]);

        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Equal(data.Count, export.Json().GetProperty("total").GetInt64());
        Assert.Equal(data.Projects.Count, export.Json().GetProperty("records").GetProperty("project").GetInt64());
        Assert.True(check.ExitCode == 0, check.ToString());
        var (graph, tasks) = Stores.NewPair();
        await InMemorySnapshot.LoadAsync(output, graph, tasks);
        Assert.Empty(Oracle.Differences(data.WithDerived(), await DataSet.ReadAsync(graph, tasks)));
    }

    [Fact]
    public async Task Bad_snapshots_exit_2_with_one_line_and_write_nothing()
    {
        var snapshot = await SnapshotFiles.WriteAsync(new DataGen(47).NewDataSet(8), _folder.File("good.jsonl"));
        var (schema, stores) = await database.NewStoresAsync();
        foreach (var (name, bad, expected) in SnapshotFiles.BadCopies(snapshot))
        {
            foreach (var command in new[] { "check", "repair" })
            {
                var result = await Cli.RunAsync([command, "--source", bad, "--target", database.ConnectionString, "--target-schema", schema]);

                Assert.True(result.ExitCode == 2, $"{name} {command}: {result}");
                var line = Assert.Single(result.ErrorLines);
                Assert.StartsWith("error: the snapshot cannot be used: ", line, StringComparison.Ordinal);
                Assert.Contains(expected, line, StringComparison.Ordinal);
                Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
                Assert.Equal("", result.Out);
            }
        }

        Assert.Equal(0, (await DataSet.ReadAsync(stores.Graph, stores.Tasks)).Count);
    }

    [Fact]
    public async Task Bad_arguments_and_unusable_stores_exit_2_with_one_line()
    {
        var snapshot = await SnapshotFiles.WriteAsync(new DataGen(48).NewDataSet(2), _folder.File("good.jsonl"));
        var cs = database.ConnectionString;
        var cases = new (string[] Args, string Expected)[]
        {
            (["check", "--source", snapshot], "--target"),
            (["check", "--source", snapshot, "--target", cs, "--format", "xml"], "xml"),
            (["check", "--source", snapshot, "--target", cs, "--recheck", "-1"], "--recheck"),
            (["check", "--source", snapshot, "--target", cs, "--dry-run"], "--repair"),
            (["repair", "--source", snapshot, "--target", snapshot], "connection string"),
            (["check", "--source", snapshot, "--target", "Host=127.0.0.1;Bogus=1;Password=hunter2"], "not a valid PostgreSQL connection string"),
            (["check", "--source", snapshot, "--target", cs, "--target-schema", "Bad-Name"], "schema"),
            (["check", "--source", snapshot, "--target", cs, "--target-schema", database.NewSchemaName()], "migrate"),
            (["check", "--source", snapshot, "--target", cs + ";Database=no_such_db"], "no_such_db"),
            (["export", "--source", snapshot, "--output", _folder.File("x.jsonl")], "connection string"),
            (["export", "--source", cs, "--output", "/no/such/folder/x.jsonl"], "does not exist"),
            (["nonsense"], "nonsense"),
        };
        foreach (var (args, expected) in cases)
        {
            var result = await Cli.RunAsync(args);

            Assert.True(result.ExitCode == 2, $"{string.Join(' ', args)}: {result}");
            Assert.Contains(expected, result.Error, StringComparison.Ordinal);
            Assert.All(result.ErrorLines, l => Assert.StartsWith("error: ", l, StringComparison.Ordinal));
            Assert.DoesNotContain("hunter2", result.Error, StringComparison.Ordinal);
            Assert.Equal("", result.Out);
        }
    }

    [Fact]
    public async Task An_unreachable_server_exits_3_with_one_line_and_no_password()
    {
        var snapshot = await SnapshotFiles.WriteAsync(new DataGen(49).NewDataSet(2), _folder.File("good.jsonl"));
        var closed = $"Host=127.0.0.1;Port={ClosedPort()};Database=app;Username=app;Password=s3cret-pw;Timeout=5";

        foreach (var args in new[]
        {
            new[] { "check", "--source", snapshot, "--target", closed },
            ["repair", "--source", snapshot, "--target", closed],
            ["export", "--source", closed, "--output", _folder.File("e.jsonl")],
            ["migrate", "--target", closed],
        })
        {
            var result = await Cli.RunAsync(args);

            Assert.True(result.ExitCode == 3, result.ToString());
            var line = Assert.Single(result.ErrorLines);
            Assert.Contains("127.0.0.1", line, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret-pw", result.Error + result.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Cancellation_exits_130_with_one_line()
    {
        var data = new DataGen(50).NewDataSet(4);
        var target = data.Copy();
        target.Tasks.Clear();
        var snapshot = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var (schema, _) = await database.LoadAsync(target);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        var result = await Cli.RunAsync(["check", "--recheck", "600", "--source", snapshot, "--target", database.ConnectionString, "--target-schema", schema], cancel.Token);

        Assert.True(result.ExitCode == 130, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: cancelled", line, StringComparison.Ordinal);
        Assert.Contains("a check writes nothing", line, StringComparison.Ordinal);
        Assert.DoesNotContain("repair", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_export_says_it_left_the_output_file_as_it_was()
    {
        var (schema, _) = await database.LoadAsync(new DataGen(51).NewDataSet(4));
        var output = _folder.File("rollback.jsonl");
        await File.WriteAllTextAsync(output, "the previous export\n");
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        var result = await Cli.RunAsync(["export", "--source", database.ConnectionString, "--source-schema", schema, "--output", output], cancel.Token);

        Assert.True(result.ExitCode == 130, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: cancelled", line, StringComparison.Ordinal);
        Assert.Contains("an existing output file is left as it was", line, StringComparison.Ordinal);
        Assert.DoesNotContain("repair", line, StringComparison.Ordinal);
        Assert.Equal("the previous export\n", await File.ReadAllTextAsync(output));
        Assert.Single(Directory.GetFiles(_folder.Path));
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The differences a JSON report lists, as <see cref="Oracle"/> lines.</summary>
    private static List<string> Lines(JsonElement json)
    {
        var lines = new List<string>();
        foreach (var kind in json.GetProperty("kinds").EnumerateArray())
        {
            var name = kind.GetProperty("kind").GetString();
            var samples = kind.GetProperty("samples");
            lines.AddRange(samples.GetProperty("missing_in_target").EnumerateArray().Select(k => $"{name} {Key(name, k)} missing"));
            lines.AddRange(samples.GetProperty("extra_in_target").EnumerateArray().Select(k => $"{name} {Key(name, k)} extra"));
            lines.AddRange(samples.GetProperty("different").EnumerateArray().Select(d =>
                $"{name} {Key(name, d.GetProperty("key"))} different [{string.Join(", ", d.GetProperty("fields").EnumerateArray().Select(f => f.GetString()).Order(StringComparer.Ordinal))}]"));
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static string Key(string? kind, JsonElement key)
    {
        var parts = key.EnumerateArray().Select(p => p.GetString()!).ToArray();
        return kind switch
        {
            "project" => $"{parts[0]}/{parts[1]}",
            "dependency" => $"{parts[0]}/{parts[1]} -> {parts[2]}/{parts[3]}",
            _ => Assert.Single(parts),
        };
    }

    private async Task StopBeforeIndexBuildsAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"""
            SET search_path = '';
            INSERT INTO "{schema}".pending_index_builds
            SELECT 'projects_name_trgm_idx', 'projects', pg_get_indexdef('"{schema}".projects_name_trgm_idx'::regclass), 1;
            DROP INDEX "{schema}".projects_name_trgm_idx
            """,
            connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> PendingCountAsync(string schema)
        => (long)(await ScalarAsync($"SELECT count(*) FROM \"{schema}\".pending_index_builds"))!;

    private async Task<bool> IndexExistsAsync(string schema)
        => (bool)(await ScalarAsync($"SELECT to_regclass('\"{schema}\".projects_name_trgm_idx') IS NOT NULL"))!;

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}

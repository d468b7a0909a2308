using System.Text.Json;
using ConsistencyChecker.Stores;
using Npgsql;
using Storage.Consistency.Tests.Support;
using Storage.InMemory;
using Storage.Postgres;

namespace Storage.Consistency.Tests;

/// <summary>
/// A repair into empty PostgreSQL tables takes the tool's bulk loads; it must end exactly as the batch imports do
/// (<c>--no-bulk-load</c>), with the same records written and the same ones refused.
/// </summary>
[RequiresPostgres]
public sealed class BulkRepairTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_bulk_loaded_repair_writes_and_refuses_what_batches_would()
    {
        var (data, snapshot) = await DanglingSnapshotAsync();
        var bulk = await RepairAsync(snapshot);
        var batches = await RepairAsync(snapshot, "--no-bulk-load");

        Assert.Equal(batches.Report, bulk.Report);
        Assert.All(bulk.Kinds, k => Assert.True(k.GetProperty("bulk_loaded").GetBoolean(), k.ToString()));
        Assert.All(batches.Kinds, k => Assert.False(k.GetProperty("bulk_loaded").GetBoolean(), k.ToString()));
        Assert.Contains(bulk.Report, k => k.Kind == "dependency" && k.Failed > 0);
        Assert.Contains(bulk.Report, k => k.Kind == "contribution" && k.Failed > 0);
        Assert.Equal(data.Count - 2 - bulk.Report.Sum(k => k.Failed), bulk.Report.Sum(k => k.Written));
        Assert.Empty(Oracle.Differences(batches.Stored, bulk.Stored));
        Assert.NotEmpty(bulk.Stored.Edges);
    }

    [Fact]
    public async Task Records_a_bulk_load_refuses_leave_its_written_sample_and_progress_as_batches_leave_them()
    {
        // The projects the first edges in key order come from are left out: every one of the first edges is refused,
        // more of them than twice the sample holds.
        var data = new DataGen(46).NewDataSet(30);
        var whole = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var edges = data.Edges.Order(StorageOrdering.Edge).ToList();
        var removed = edges.Select(e => e.From).Distinct().Take(3).ToHashSet();
        Assert.True(edges.TakeWhile(e => removed.Contains(e.From)).Count() > 2 * SampleSize);
        var snapshot = SnapshotFiles.Edit(whole, "front.jsonl", lines =>
        {
            var kept = lines.Take(lines.Count - 1).Where(l => !removed.Any(k => IsProject(l, k))).ToList();
            return kept.Append($$$"""{"end":{"records":{{{kept.Count - 1}}}}}""");
        });

        var bulk = await RepairInProcessAsync(snapshot, bulkLoad: true);
        var batches = await RepairInProcessAsync(snapshot, bulkLoad: false);

        var loaded = bulk.Report.Kinds.Single(k => k.Kind == RecordKind.Dependency);
        Assert.True(loaded.BulkLoaded);
        Assert.Equal(SampleSize, loaded.WrittenSample.Count);
        foreach (var (b, k) in batches.Report.Kinds.Zip(bulk.Report.Kinds))
        {
            Assert.Equal(b.Written, k.Written);
            Assert.Equal(b.WrittenSample, k.WrittenSample);
            Assert.Equal(b.FailedSample, k.FailedSample);
        }

        Assert.Equal(bulk.Report.Written, bulk.Progress.RecordsWritten);
        Assert.Equal(batches.Report.Written, batches.Progress.RecordsWritten);
    }

    private const int SampleSize = 2;

    /// <summary>Repairs a new, migrated schema in-process, with the bulk loads or without; returns the report and the progress.</summary>
    private async Task<(RepairReport Report, ConsistencyProgress Progress)> RepairInProcessAsync(string snapshot, bool bulkLoad)
    {
        var (_, stores) = await database.NewStoresAsync();
        var progress = new ConsistencyProgress();
        var target = new LiveStoreSource(stores.Graph, stores.Tasks, stores.Description) { BulkLoader = Loader(stores) };
        await using var source = await SnapshotFileSource.OpenAsync(snapshot);
        var result = await new ConsistencyEngine().RepairAsync(
            source, target, new RepairOptions { BatchSize = 7, SampleSize = SampleSize, BulkLoad = bulkLoad }, new ConsistencyCheckOptions { Progress = progress });
        return (result.Repair, progress);
    }

    /// <summary>
    /// A snapshot without its most depended-on project and without a contributor with contributions: their edges and
    /// contributions dangle, which neither the reader nor the check can see, only the database.
    /// </summary>
    private async Task<(DataSet Data, string Snapshot)> DanglingSnapshotAsync()
    {
        var data = new DataGen(46).NewDataSet(30);
        var whole = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var project = data.Edges.GroupBy(e => e.To).OrderByDescending(g => g.Count()).ThenBy(g => g.Key.ToString()).First().Key;
        var contributor = data.Contributions[0].ContributorId;
        var snapshot = SnapshotFiles.Edit(whole, "dangling.jsonl", lines =>
        {
            var kept = lines.Take(lines.Count - 1).Where(l => !IsProject(l, project) && !IsContributor(l, contributor)).ToList();
            Assert.Equal(lines.Count - 3, kept.Count);
            return kept.Append($$$"""{"end":{"records":{{{kept.Count - 1}}}}}""");
        });
        return (data, snapshot);
    }

    [Fact]
    public async Task Batches_beside_bulk_loads_wait_for_the_whole_snapshot_and_a_bad_one_writes_nothing()
    {
        var data = new DataGen(48).NewDataSet(30);
        var whole = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var truncated = SnapshotFiles.Edit(whole, "truncated.jsonl", l => l.Take(l.Count - 1));
        var stale = data.Projects[0] with { Version = "0.0.1-stale" };
        var (schema, stores) = await database.LoadAsync(new DataSet { Projects = [stale] });
        string[] args = ["repair", "--target", database.ConnectionString, "--target-schema", schema, "--batch-size", "7", "--format", "json"];

        var bad = await Cli.RunAsync([.. args, "--source", truncated]);

        Assert.True(bad.ExitCode == 2, bad.ToString());
        var untouched = await DataSet.ReadAsync(stores.Graph, stores.Tasks);
        Assert.Equal([stale], untouched.Projects);
        Assert.Equal(1, untouched.Count);

        var good = await Cli.RunAsync([.. args, "--source", whole]);

        Assert.True(good.ExitCode == 0, good.ToString());
        var check = await Cli.RunAsync(["check", "--source", whole, "--target", database.ConnectionString, "--target-schema", schema]);
        Assert.True(check.ExitCode == 0, check.ToString());
    }

    [Fact]
    public async Task A_kind_whose_table_is_busy_is_written_in_batches_after_the_loaded_kinds_commit()
    {
        var data = new DataGen(49).NewDataSet(30);
        var snapshot = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var (schema, stores) = await database.NewStoresAsync();

        // Another session keeps the edges' table in use: the repair cannot take it, and its batches must not wait for
        // the projects the bulk load holds.
        await using var other = await database.DataSourceOf(stores).OpenConnectionAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var read = new Npgsql.NpgsqlCommand("SELECT count(*) FROM project_dependencies", other, transaction))
        {
            await read.ExecuteScalarAsync();
        }

        var repair = await Cli.RunAsync(
                ["repair", "--source", snapshot, "--target", database.ConnectionString, "--target-schema", schema, "--batch-size", "7"])
            .WaitAsync(TimeSpan.FromSeconds(120));
        await transaction.RollbackAsync();

        Assert.True(repair.ExitCode == 0, repair.ToString());
        await using var check = await SnapshotFileSource.OpenAsync(snapshot);
        Assert.True((await new ConsistencyEngine().CheckAsync(check, stores)).IsConsistent);
    }

    [Fact]
    public async Task An_extra_in_a_table_being_bulk_loaded_ends_the_load_and_the_rest_of_its_kind_goes_in_batches()
    {
        var data = new DataGen(51).NewDataSet(30);
        var snapshot = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));

        // The target's only edge leaves an extra project: deleting the project (confirmed by the recheck) cascades the
        // edge away, so the edges' table is empty, and bulk-loaded, when the extra edge the check read turns up. The
        // extra sorts in the middle of the projects, so edges come after it, to go in batches.
        var kept = data.Projects[0];
        var middle = data.Projects.Order(Comparer<Project>.Create((a, b) => StorageOrdering.ProjectKey.Compare(a.Key, b.Key))).ElementAt(data.Projects.Count / 2);
        var extra = new Project(middle.Ecosystem, middle.Name + "-extra", null, null, null, null, 0, Stores.Epoch, Stores.Epoch);
        Assert.Contains(data.Edges, e => StorageOrdering.ProjectKey.Compare(e.From, extra.Key) > 0);
        var (schema, stores) = await database.LoadAsync(new DataSet { Projects = [kept, extra], Edges = [new DependencyEdge(extra.Key, kept.Key)] });

        var repair = await Cli.RunAsync(
            ["repair", "--source", snapshot, "--target", database.ConnectionString, "--target-schema", schema, "--batch-size", "7",
             "--delete-extras", "--recheck", "0", "--format", "json"]);

        Assert.True(repair.ExitCode == 0, repair.ToString());
        var edges = repair.Json().GetProperty("repair").GetProperty("kinds").EnumerateArray().Single(k => k.GetProperty("kind").GetString() == "dependency");
        Assert.True(edges.GetProperty("bulk_loaded").GetBoolean(), edges.ToString());
        Assert.Equal(1, edges.GetProperty("deleted").GetInt64());
        Assert.Equal(data.Edges.Count, edges.GetProperty("written").GetInt64());
        await using var check = await SnapshotFileSource.OpenAsync(snapshot);
        Assert.True((await new ConsistencyEngine().CheckAsync(check, stores)).IsConsistent);
    }

    [Fact]
    public async Task A_cancelled_repair_rolls_back_every_kind_it_bulk_loaded()
    {
        var data = new DataGen(47).NewDataSet(40);
        var snapshot = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var (_, stores) = await database.NewStoresAsync();
        var graph = (PostgresGraphStore)stores.Graph;
        var tasks = (PostgresAgentTaskStore)stores.Tasks;
        using var cancel = new CancellationTokenSource();
        var target = new LiveStoreSource(graph, tasks, stores.Description)
        {
            BulkLoader = new CancelAfterFirstWrite(Loader(stores), RecordKind.Dependency, cancel),
        };
        var engine = new ConsistencyEngine();

        await using (var source = await SnapshotFileSource.OpenAsync(snapshot))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => engine.RepairAsync(source, target, new RepairOptions { BatchSize = 7 }, cancellationToken: cancel.Token));
        }

        Assert.Equal(0, (await DataSet.ReadAsync(graph, tasks)).Count);
        await using (var again = await SnapshotFileSource.OpenAsync(snapshot))
        {
            var repaired = await engine.RepairAsync(again, new LiveStoreSource(graph, tasks, "again") { BulkLoader = Loader(stores) });
            Assert.True(repaired.Repair.IsComplete);
            Assert.Equal(data.Count, repaired.Repair.Written);
        }

        await using var check = await SnapshotFileSource.OpenAsync(snapshot);
        Assert.True((await engine.CheckAsync(check, stores)).IsConsistent);
    }

    [Fact]
    public async Task A_repair_cancelled_while_its_indexes_are_built_keeps_its_rows_says_so_and_leaves_the_indexes_listed()
    {
        var data = new DataGen(48).NewDataSet(30);
        var snapshot = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var (_, stores) = await database.NewStoresAsync();
        var graph = (PostgresGraphStore)stores.Graph;
        var tasks = (PostgresAgentTaskStore)stores.Tasks;
        using var cancel = new CancellationTokenSource();
        var target = new LiveStoreSource(graph, tasks, stores.Description) { BulkLoader = new CancelOnFinish(Loader(stores), cancel) };

        await using (var source = await SnapshotFileSource.OpenAsync(snapshot))
        {
            var error = await Assert.ThrowsAsync<RepairCancelledException>(
                () => new ConsistencyEngine().RepairAsync(source, target, cancellationToken: cancel.Token));
            Assert.Equal(data.Count, error.Committed);
            Assert.True(error.FinishingLoad);
        }

        Assert.Equal(data.Count, (await DataSet.ReadAsync(graph, tasks)).Count);
        Assert.True(await PostgresIndexBuilds.CountPendingAsync(database.DataSourceOf(stores)) > 0);
    }

    [Fact]
    public async Task A_repair_that_fails_while_its_indexes_are_built_says_its_records_are_committed_and_leaves_the_indexes_listed()
    {
        var data = new DataGen(51).NewDataSet(20);
        var snapshot = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var (_, stores) = await database.NewStoresAsync();
        var target = new LiveStoreSource(stores.Graph, stores.Tasks, stores.Description) { BulkLoader = new FailOnFinish(Loader(stores)) };

        await using (var source = await SnapshotFileSource.OpenAsync(snapshot))
        {
            var error = await Assert.ThrowsAsync<RepairStoppedException>(() => new ConsistencyEngine().RepairAsync(source, target));
            Assert.Equal(data.Count, error.Committed);
            Assert.True(error.FinishingLoad);
            Assert.IsType<NpgsqlException>(error.InnerException);
        }

        Assert.Equal(data.Count, (await DataSet.ReadAsync(stores.Graph, stores.Tasks)).Count);
        Assert.True(await PostgresIndexBuilds.CountPendingAsync(database.DataSourceOf(stores)) > 0);
    }

    [Fact]
    public async Task A_role_that_may_only_read_and_write_rows_repairs_in_batches()
    {
        var data = new DataGen(50).NewDataSet(20);
        var snapshot = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var (schema, stores) = await database.NewStoresAsync();
        var role = $"dml_{schema}";
        await using (var grant = database.DataSourceOf(stores).CreateCommand($"""
            CREATE ROLE {role} LOGIN;
            GRANT USAGE ON SCHEMA {schema} TO {role};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role};
            """))
        {
            await grant.ExecuteNonQueryAsync();
        }

        var asRole = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role }.ConnectionString;
        var repair = await Cli.RunAsync(["repair", "--source", snapshot, "--target", asRole, "--target-schema", schema, "--format", "json"]);

        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.Equal(data.Count, repair.Json().GetProperty("repair").GetProperty("written").GetInt64());
        await using var check = await SnapshotFileSource.OpenAsync(snapshot);
        Assert.True((await new ConsistencyEngine().CheckAsync(check, stores)).IsConsistent);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Indexes_left_listed_hold_up_no_repair_by_a_role_that_cannot_build_them(bool mayReadTheList)
    {
        var data = new DataGen(51).NewDataSet(20);
        var snapshot = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var (schema, stores) = await database.NewStoresAsync();
        var role = $"dml_{schema}";
        var revoke = mayReadTheList ? "" : $"REVOKE ALL ON {schema}.pending_index_builds FROM {role};";
        await using (var setup = database.DataSourceOf(stores).CreateCommand($"""
            CREATE ROLE {role} LOGIN;
            GRANT USAGE ON SCHEMA {schema} TO {role};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role};
            {revoke}
            INSERT INTO {schema}.pending_index_builds VALUES
                ('projects_left_idx', 'projects', 'CREATE INDEX projects_left_idx ON {schema}.projects USING btree (version)', 1);
            """))
        {
            await setup.ExecuteNonQueryAsync();
        }

        var asRole = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role }.ConnectionString;
        var repair = await Cli.RunAsync(["repair", "--source", snapshot, "--target", asRole, "--target-schema", schema, "--format", "json"]);

        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.Equal(data.Count, repair.Json().GetProperty("repair").GetProperty("written").GetInt64());
        if (mayReadTheList)
        {
            // The list is writable by the role itself: its definitions are not run, and the warning says why.
            Assert.Contains(repair.ErrorLines, l => l.StartsWith("warning: building the index projects_left_idx on projects failed", StringComparison.Ordinal)
                && l.Contains($"may be written by {role}", StringComparison.Ordinal));
        }
        else
        {
            Assert.DoesNotContain(repair.ErrorLines, l => l.StartsWith("warning:", StringComparison.Ordinal));
        }

        await using var count = database.DataSourceOf(stores).CreateCommand($"SELECT count(*) FROM {schema}.pending_index_builds");
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    private PostgresBulkLoader Loader(LiveStoreSource stores) => new(database.DataSourceOf(stores));

    /// <summary>The real bulk loads, with a cancellation requested once the first records of one kind are written.</summary>
    /// <summary>Its committed load's remaining work (the index builds) fails as a lost connection would, building nothing.</summary>
    private sealed class FailOnFinish(IBulkLoader inner) : IBulkLoader
    {
        public async Task<IBulkLoadSession> BeginAsync(CancellationToken cancellationToken)
            => new Session(await inner.BeginAsync(cancellationToken));

        private sealed class Session(IBulkLoadSession session) : IBulkLoadSession
        {
            public Task<IBulkLoad?> TryBeginAsync(RecordKind of, CancellationToken cancellationToken) => session.TryBeginAsync(of, cancellationToken);

            public Task CommitAsync(CancellationToken cancellationToken) => session.CommitAsync(cancellationToken);

            public Task FinishAsync(CancellationToken cancellationToken)
                => Task.FromException(new NpgsqlException("Exception while reading from stream", new IOException("Connection reset by peer")));

            public ValueTask DisposeAsync() => session.DisposeAsync();
        }
    }

    /// <summary>Cancels the repair as its committed load starts its remaining work (the index builds), which then stops.</summary>
    private sealed class CancelOnFinish(IBulkLoader inner, CancellationTokenSource cancel) : IBulkLoader
    {
        public async Task<IBulkLoadSession> BeginAsync(CancellationToken cancellationToken)
            => new Session(await inner.BeginAsync(cancellationToken), cancel);

        private sealed class Session(IBulkLoadSession session, CancellationTokenSource cancel) : IBulkLoadSession
        {
            public Task<IBulkLoad?> TryBeginAsync(RecordKind of, CancellationToken cancellationToken) => session.TryBeginAsync(of, cancellationToken);

            public Task CommitAsync(CancellationToken cancellationToken) => session.CommitAsync(cancellationToken);

            public async Task FinishAsync(CancellationToken cancellationToken)
            {
                await cancel.CancelAsync();
                await session.FinishAsync(cancellationToken);
            }

            public ValueTask DisposeAsync() => session.DisposeAsync();
        }
    }

    private sealed class CancelAfterFirstWrite(IBulkLoader inner, RecordKind kind, CancellationTokenSource cancel) : IBulkLoader
    {
        public async Task<IBulkLoadSession> BeginAsync(CancellationToken cancellationToken)
            => new Session(await inner.BeginAsync(cancellationToken), kind, cancel);

        private sealed class Session(IBulkLoadSession session, RecordKind kind, CancellationTokenSource cancel) : IBulkLoadSession
        {
            public async Task<IBulkLoad?> TryBeginAsync(RecordKind of, CancellationToken cancellationToken)
            {
                var load = await session.TryBeginAsync(of, cancellationToken);
                return load is not null && of == kind ? new Load(load, cancel) : load;
            }

            public Task CommitAsync(CancellationToken cancellationToken) => session.CommitAsync(cancellationToken);

            public Task FinishAsync(CancellationToken cancellationToken) => session.FinishAsync(cancellationToken);

            public ValueTask DisposeAsync() => session.DisposeAsync();
        }

        private sealed class Load(IBulkLoad load, CancellationTokenSource cancel) : IBulkLoad
        {
            public async Task WriteAsync(IReadOnlyList<object> records, CancellationToken cancellationToken)
            {
                await load.WriteAsync(records, cancellationToken);
                await cancel.CancelAsync();
            }

            public Task<IReadOnlyList<(object Record, string Reason)>> BuildAsync(CancellationToken cancellationToken) => load.BuildAsync(cancellationToken);

            public Task<IReadOnlyList<object>> ReadFirstAsync(int count, CancellationToken cancellationToken) => load.ReadFirstAsync(count, cancellationToken);
        }
    }

    private static bool IsProject(string line, ProjectKey key)
        => line.StartsWith("{\"project\":", StringComparison.Ordinal)
            && line.Contains($"\"ecosystem\":\"{key.Ecosystem}\",\"name\":\"{key.Name}\"", StringComparison.Ordinal);

    private static bool IsContributor(string line, Guid id)
        => line.StartsWith("{\"contributor\":", StringComparison.Ordinal) && line.Contains($"\"id\":\"{id:D}\"", StringComparison.Ordinal);

    /// <summary>Repairs a new, migrated schema from <paramref name="snapshot"/>; returns each kind's counts and what it then holds.</summary>
    private async Task<(List<KindCounts> Report, DataSet Stored, List<JsonElement> Kinds)> RepairAsync(string snapshot, params string[] options)
    {
        var (schema, stores) = await database.NewStoresAsync();
        var result = await Cli.RunAsync(
            ["repair", "--source", snapshot, "--target", database.ConnectionString, "--target-schema", schema, "--batch-size", "7", "--format", "json", .. options]);
        Assert.True(result.ExitCode == 1, result.ToString());
        var kinds = result.Json().GetProperty("repair").GetProperty("kinds").EnumerateArray().Select(k => new KindCounts(
                k.GetProperty("kind").GetString()!,
                k.GetProperty("written").GetInt64(),
                k.GetProperty("failed").GetInt64(),
                string.Join(' ', k.GetProperty("failed_sample").EnumerateArray().Select(key => key.GetRawText()).Order(StringComparer.Ordinal)),
                k.GetProperty("first_failure").ValueKind == JsonValueKind.Null ? null : Shape(k.GetProperty("first_failure").GetString()!)))
            .ToList();
        return (kinds, await DataSet.ReadAsync(stores.Graph, stores.Tasks), [.. result.Json().GetProperty("repair").GetProperty("kinds").EnumerateArray()]);
    }

    /// <summary>A failure's message without the record it names (batches and the bulk load may name different first ones).</summary>
    private static string Shape(string failure) => failure[(failure.IndexOf(':', StringComparison.Ordinal) + 1)..].Split('\'')[0].Trim();

    private sealed record KindCounts(string Kind, long Written, long Failed, string FailedKeys, string? FirstFailure);
}

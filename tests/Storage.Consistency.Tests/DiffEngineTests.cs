using System.Runtime.CompilerServices;
using Storage.Consistency.Tests.Support;
using Storage.InMemory;

namespace Storage.Consistency.Tests;

public sealed class DiffEngineTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ManualTimeProvider _time = new(Stores.Epoch);

    // Later than every record DataGen makes: a check of two live sides counts records stamped after its start as changed.
    private readonly ConsistencyEngine _engine = new(new ManualTimeProvider(Stores.Epoch.AddYears(10)));

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task CheckAsync_equal_sides_are_consistent_and_count_every_record()
    {
        var data = new DataGen(1).NewDataSet(10);
        await using var source = await Stores.LoadAsync(data, "a");
        await using var target = await Stores.LoadAsync(data, "b");

        var report = await _engine.CheckAsync(source, target);

        Assert.True(report.IsConsistent);
        Assert.Equal(data.Count, report.Compared);
        Assert.Equal(data.Count, report.Kinds.Sum(k => k.Equal));
        Assert.Equal([.. RecordKinds.All], report.Kinds.Select(k => k.Kind));
    }

    [Fact]
    public async Task CheckAsync_reports_derived_fields_like_any_field()
    {
        var data = new DataGen(2).NewDataSet(6);
        var target = data.Copy();
        var edge = target.Edges[0];
        target.Edges.RemoveAt(0);
        var contribution = target.Contributions[0];
        target.Contributions[0] = contribution with { CostAmount = contribution.CostAmount + 1.00m };
        await using var a = await Stores.LoadAsync(data, "a");
        await using var b = await Stores.LoadAsync(target, "b");

        var report = await _engine.CheckAsync(a, b);

        Assert.Equal([RecordKey.Dependency(edge)], report[RecordKind.Dependency].MissingSample);
        var project = Assert.Single(report[RecordKind.Project].DifferentSample);
        Assert.Equal(RecordKey.Project(edge.From), project.Key);
        Assert.Equal(["dependency_count"], project.Fields);
        var asset = Assert.Single(report[RecordKind.Asset].DifferentSample);
        Assert.Equal(RecordKey.Asset(contribution.AssetId), asset.Key);
        Assert.Equal(["total_cost"], asset.Fields);
        Assert.Equal(new Dictionary<string, long> { ["cost_amount"] = 1 }, report[RecordKind.Contribution].DifferentFields);
    }

    [Fact]
    public async Task CheckAsync_counts_live_records_stamped_after_the_snapshot_as_changed_not_as_differences()
    {
        var (graph, tasks) = Stores.NewPair(_time);
        var react = await graph.UpsertProjectAsync(new ProjectUpsert("npm", "react") { Description = "ui" });
        await graph.UpsertProjectAsync(new ProjectUpsert("npm", "vue"));
        var task = await tasks.CreateTaskAsync(new NewAgentTask("build", AgentTaskType.Impl) { Id = "t1" });
        _time.Advance(TimeSpan.FromSeconds(1));
        var path = _folder.File("snap.jsonl");
        await SnapshotWriter.WriteAsync(path, graph, tasks, _time);

        _time.Advance(TimeSpan.FromSeconds(1));
        await graph.UpsertProjectAsync(new ProjectUpsert("npm", "vue") { Version = "3" });          // changed after the snapshot
        await tasks.CreateTaskAsync(new NewAgentTask("new", AgentTaskType.Spec) { Id = "t2" });       // created after it
        await tasks.ClaimTaskAsync(task.Id, "w1");                                                   // changed after it
        await graph.ImportProjectsAsync([react with { Description = "drifted" }]);                   // drift: stamped before it

        await using var snapshot = await SnapshotFileSource.OpenAsync(path);
        await using var live = new LiveStoreSource(graph, tasks, "live");
        var report = await new ConsistencyEngine(_time).CheckAsync(snapshot, live);

        Assert.Equal(snapshot.TakenAt, report.ChangedAfter);
        Assert.Equal(3, report.ChangedSinceSnapshot);
        Assert.Equal([RecordKey.Project(new ProjectKey("npm", "vue"))], report[RecordKind.Project].ChangedSample);
        Assert.Equal([RecordKey.AgentTask("t1"), RecordKey.AgentTask("t2")], report[RecordKind.AgentTask].ChangedSample);
        Assert.Equal(1, report.Differences);
        Assert.Equal(["description"], Assert.Single(report[RecordKind.Project].DifferentSample).Fields);
    }

    [Fact]
    public async Task CheckAsync_counts_a_total_moved_only_by_contributions_changed_since_the_snapshot_as_changed()
    {
        var (graph, tasks) = Stores.NewPair(_time);
        var alice = await graph.CreateContributorAsync(new NewContributor("alice"));
        var quiet = await graph.CreateAssetAsync(new NewAsset("quiet", AssetType.Code));
        var busy = await graph.CreateAssetAsync(new NewAsset("busy", AssetType.Code));
        var drifted = await graph.CreateAssetAsync(new NewAsset("drifted", AssetType.Data));
        await graph.CreateContributionAsync(new NewContribution(alice.Id, quiet.Id, 5.00m, 0.5m));
        var old = await graph.CreateContributionAsync(new NewContribution(alice.Id, drifted.Id, 2.00m, 0.5m));
        _time.Advance(TimeSpan.FromSeconds(1));
        var path = _folder.File("snap.jsonl");
        await SnapshotWriter.WriteAsync(path, graph, tasks, _time);

        _time.Advance(TimeSpan.FromSeconds(1));
        var late = await graph.CreateContributionAsync(new NewContribution(alice.Id, busy.Id, 7.00m, 0.5m));    // after the snapshot
        await graph.CreateContributionAsync(new NewContribution(alice.Id, drifted.Id, 1.00m, 0.5m));            // after it too
        await graph.ImportContributionsAsync([old with { CostAmount = 3.00m }]);                                // drift: stamped before it

        await using var snapshot = await SnapshotFileSource.OpenAsync(path);
        await using var live = new LiveStoreSource(graph, tasks, "live");
        var report = await new ConsistencyEngine(_time).CheckAsync(snapshot, live);

        // busy's total moved only because of a contribution made after the snapshot: changed, like the contribution.
        Assert.Equal([RecordKey.Asset(busy.Id)], report[RecordKind.Asset].ChangedSample);
        Assert.Equal(2, report[RecordKind.Contribution].ChangedSinceSnapshot);
        Assert.Contains(RecordKey.Contribution(late.Id), report[RecordKind.Contribution].ChangedSample);

        // drifted's total moved by a late contribution and by real drift in an old one: a difference.
        var asset = Assert.Single(report[RecordKind.Asset].DifferentSample);
        Assert.Equal(RecordKey.Asset(drifted.Id), asset.Key);
        Assert.Equal(["total_cost"], asset.Fields);
        Assert.Equal([RecordKey.Contribution(old.Id)], report[RecordKind.Contribution].DifferentSample.Select(s => s.Key));
        Assert.Equal(2, report.Differences);
        Assert.Equal(1, report[RecordKind.Asset].Equal);
    }

    [Fact]
    public async Task CheckAsync_hands_a_held_total_to_the_sink_after_the_contributions_in_a_batch_of_its_own_and_samples_it_in_key_order()
    {
        var data = new DataGen(2).NewDataSet(12);
        var target = data.Copy();
        var assets = target.Assets.OrderBy(a => a.Id, StorageOrdering.Uuid).ToList();
        var held = assets[0];
        var index = target.Contributions.FindIndex(c => c.AssetId == held.Id);
        Assert.True(index >= 0, "the data set gives the first asset a contribution");
        target.Contributions[index] = target.Contributions[index] with { CostAmount = target.Contributions[index].CostAmount + 1.00m };
        var renamed = assets[^1];
        target.Assets[target.Assets.IndexOf(renamed)] = renamed with { Name = "renamed" };
        await using var a = await Stores.LoadAsync(data, "a");
        await using var b = await Stores.LoadAsync(target, "b");
        var sink = new CollectingSink();

        var report = await _engine.CheckAsync(a, b, new ConsistencyCheckOptions { SampleSize = 1 }, sink);

        Assert.Equal(
            ["done project", "done dependency", "done contributor", "batch asset 1", "done asset", "batch contribution 1", "done contribution",
                "batch asset 1", "done agent_task"],
            sink.Calls);
        Assert.Equal([RecordKey.Asset(renamed.Id), RecordKey.Contribution(target.Contributions[index].Id), RecordKey.Asset(held.Id)],
            sink.Drifts.Select(d => d.Key));
        Assert.Equal(2, report[RecordKind.Asset].Different);
        Assert.Equal(RecordKey.Asset(held.Id), Assert.Single(report[RecordKind.Asset].DifferentSample).Key);

        // With a recheck, everything is handed over at the end: the held total back in its kind, in key order.
        var rechecked = new CollectingSink();
        await _engine.CheckAsync(a, b, new ConsistencyCheckOptions { SampleSize = 1, RecheckDelay = TimeSpan.Zero }, rechecked);
        Assert.Equal(
            ["done project", "done dependency", "done contributor", "batch asset 2", "done asset", "batch contribution 1", "done contribution",
                "done agent_task"],
            rechecked.Calls);
        Assert.Equal([RecordKey.Asset(held.Id), RecordKey.Asset(renamed.Id)], rechecked.Drifts.Take(2).Select(d => d.Key));
    }

    [Fact]
    public async Task CheckAsync_marks_a_derived_difference_that_no_input_explains_and_repair_leaves_it_unrepaired()
    {
        var (graph, tasks) = Stores.NewPair(_time);
        var react = await graph.UpsertProjectAsync(new ProjectUpsert("npm", "react"));
        await graph.UpsertProjectAsync(new ProjectUpsert("npm", "vue"));
        await graph.UpsertProjectAsync(new ProjectUpsert("npm", "scheduler"));
        await graph.AddDependencyAsync(new ProjectKey("npm", "vue"), new ProjectKey("npm", "scheduler"));
        _time.Advance(TimeSpan.FromSeconds(1));
        var path = _folder.File("snap.jsonl");
        await SnapshotWriter.WriteAsync(path, graph, tasks, _time);
        var lines = await File.ReadAllLinesAsync(path);
        await File.WriteAllLinesAsync(path, lines.Select(l => l.Contains("\"name\":\"react\"", StringComparison.Ordinal)
            ? l.Replace("\"dependency_count\":0", "\"dependency_count\":5", StringComparison.Ordinal)
            : l));
        await graph.RemoveDependencyAsync(new ProjectKey("npm", "vue"), new ProjectKey("npm", "scheduler"));   // drift the count explains

        await using var snapshot = await SnapshotFileSource.OpenAsync(path);
        await using var live = new LiveStoreSource(graph, tasks, "live");
        var sink = new CollectingSink();
        var report = await new ConsistencyEngine(_time).CheckAsync(snapshot, live, sink: sink);

        var projects = sink.Drifts.Where(d => d.Kind == RecordKind.Project).ToDictionary(d => d.Key.ProjectKey.Name);
        Assert.True(projects["react"].UnexplainedDerived);
        Assert.False(projects["vue"].UnexplainedDerived);
        Assert.Equal(2, report[RecordKind.Project].Different);
        Assert.Equal(["done project", "batch dependency 1", "done dependency", "batch project 2"], sink.Calls.Take(4));

        await using var again = await SnapshotFileSource.OpenAsync(path);
        var repair = await new ConsistencyEngine(_time).RepairAsync(again, (LiveStoreSource)live);

        Assert.Equal((1L, 1L), (repair.Repair.Kinds[(int)RecordKind.Project].DerivedUnexplained, repair.Repair.Kinds[(int)RecordKind.Project].DerivedOnly));
        Assert.Equal(1, repair.Repair.Unrepaired);
        Assert.False(repair.Repair.IsComplete);
        await using var third = await SnapshotFileSource.OpenAsync(path);
        var after = await new ConsistencyEngine(_time).CheckAsync(third, live);
        Assert.Equal(react.Key, Assert.Single(after[RecordKind.Project].DifferentSample).Key.ProjectKey);
    }

    [Fact]
    public async Task CheckAsync_recheck_drops_writes_in_flight_and_records_still_moving()
    {
        var data = new DataGen(3).NewDataSet(4);
        var target = data.Copy();
        var inFlight = target.Projects[0];
        target.Projects.RemoveAt(0);
        target.Edges.RemoveAll(e => e.From == inFlight.Key || e.To == inFlight.Key);
        var index = target.Projects.FindIndex(p => !data.Edges.Contains(new DependencyEdge(p.Key, inFlight.Key)));
        var stable = target.Projects[index] = target.Projects[index] with { Description = "stale" };
        var moving = target.Tasks[0] = target.Tasks[0] with { Output = "partial" };
        await using var a = await Stores.LoadAsync(data, "a");
        await using var b = await Stores.LoadAsync(target, "b");
        var graph = (LiveStoreSource)b;
        var progress = new ConsistencyProgress();
        var sink = new CollectingSink();

        var check = new ConsistencyEngine(_time).CheckAsync(
            a, b, new ConsistencyCheckOptions { RecheckDelay = TimeSpan.FromSeconds(1), Progress = progress, ChangedAfter = Stores.Epoch.AddYears(5) }, sink);
        while (progress.Phase != ConsistencyPhase.Waiting && !check.IsCompleted)
        {
            await Task.Delay(10);
        }

        // While the check waits: the write in flight lands (project and edges), the moving task moves again.
        await graph.Graph.ImportProjectsAsync([inFlight]);
        await graph.Graph.ImportDependenciesAsync([.. data.Edges.Where(e => e.From == inFlight.Key || e.To == inFlight.Key)]);
        await graph.Tasks.ImportTasksAsync([moving with { Output = "more" }]);
        var report = await check;

        Assert.NotNull(report.Recheck);
        Assert.Equal(1, report.Recheck.Changed);
        Assert.Equal(1, report.Recheck.StillDifferent);
        Assert.Equal(report.Recheck.Rechecked, report.Recheck.Resolved + 2);
        Assert.Equal([RecordKey.Project(stable.Key)], sink.Drifts.Select(d => d.Key));
        Assert.Equal(1, report.Differences);
        Assert.Equal([RecordKey.AgentTask(moving.Id)], report[RecordKind.AgentTask].ChangedSample);
        Assert.Empty(report[RecordKind.Project].MissingSample);
        Assert.Equal(data.Count, report.Compared);
    }

    [Fact]
    public async Task CheckAsync_hands_differences_to_the_sink_in_kind_order_in_batches()
    {
        var data = new DataGen(4).NewDataSet(10);
        var sink = new CollectingSink();
        await using var a = await Stores.LoadAsync(data, "a");
        await using var b = await Stores.LoadAsync(new DataSet(), "b");

        await _engine.CheckAsync(a, b, new ConsistencyCheckOptions { SinkBatchSize = 4 }, sink);

        Assert.Equal(data.Count, sink.Drifts.Count);
        Assert.All(sink.Drifts, d => Assert.Equal(DriftCategory.MissingInTarget, d.Category));
        var expectedCalls = RecordKinds.All.SelectMany(kind =>
        {
            var n = data.Records(kind).Count();
            return Enumerable.Range(0, (n + 3) / 4).Select(i => $"batch {kind.Name()} {Math.Min(4, n - (i * 4))}").Append($"done {kind.Name()}");
        });
        Assert.Equal(expectedCalls, sink.Calls);
        Assert.Equal(data.Projects.Select(p => p.Key).Order(StorageOrdering.ProjectKey), sink.Drifts.Where(d => d.Kind == RecordKind.Project).Select(d => d.Key.ProjectKey));
    }

    [Fact]
    public async Task CheckAsync_keeps_a_bounded_sample_in_key_order_and_exact_counts()
    {
        var data = new DataGen(5).NewDataSet(40);
        await using var a = await Stores.LoadAsync(data, "a");
        await using var b = await Stores.LoadAsync(new DataSet(), "b");

        var report = await _engine.CheckAsync(a, b, new ConsistencyCheckOptions { SampleSize = 5 });

        var tasks = report[RecordKind.AgentTask];
        Assert.Equal(40, tasks.MissingInTarget);
        Assert.Equal(data.Tasks.Select(t => t.Id).Order(StorageOrdering.Text).Take(5), tasks.MissingSample.Select(k => k.TaskId));
    }

    [Fact]
    public async Task CheckAsync_refuses_a_side_whose_stream_is_out_of_key_order()
    {
        var data = new DataGen(6).NewDataSet(5);
        await using var a = await Stores.LoadAsync(data, "a");
        await using var b = new ShuffledSource(await Stores.LoadAsync(data, "b"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _engine.CheckAsync(a, b));

        Assert.Contains("out of key order", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_compares_two_snapshots()
    {
        var data = new DataGen(7).NewDataSet(8);
        var target = data.Copy();
        target.Tasks.RemoveAt(0);
        var first = await SaveAsync(data, "a.jsonl");
        var second = await SaveAsync(target, "b.jsonl");
        await using var a = await SnapshotFileSource.OpenAsync(first);
        await using var b = await SnapshotFileSource.OpenAsync(second);

        var report = await _engine.CheckAsync(a, b);

        Assert.Null(report.ChangedAfter);
        Assert.Equal(1, report.MissingInTarget);
        Assert.Equal(data.Count, report.Compared);
    }

    private async Task<string> SaveAsync(DataSet data, string name)
    {
        var (graph, tasks) = Stores.NewPair();
        await data.ImportAsync(graph, tasks);
        var path = _folder.File(name);
        await SnapshotWriter.WriteAsync(path, graph, tasks, _time);
        return path;
    }

    /// <summary>A side whose projects come in reverse key order.</summary>
    private sealed class ShuffledSource(LiveStoreSource inner) : ForwardingSource(inner)
    {
        public override string Description => "shuffled";

        public override async IAsyncEnumerable<Project> StreamProjectsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var all = await inner.StreamProjectsAsync(cancellationToken).ToListAsync(cancellationToken);
            all.Reverse();
            foreach (var project in all)
            {
                yield return project;
            }
        }
    }
}

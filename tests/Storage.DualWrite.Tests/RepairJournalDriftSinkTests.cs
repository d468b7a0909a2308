using Storage.Consistency;
using Storage.InMemory;

namespace Storage.DualWrite.Tests;

/// <summary>The in-host check's differences reach the repair journal, and the reconciler then makes the backends equal.</summary>
public sealed class RepairJournalDriftSinkTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly SequentialIdGenerator _ids = new();

    [Fact]
    public async Task Differences_found_in_dual_write_are_journaled_with_in_memory_as_the_good_side_and_repaired()
    {
        using var harness = DualWriteHarness.InMemory(MigrationFlags.For(MigrationPhase.DualWrite), _time, _ids);
        var source = (InMemoryGraphStore)harness.Graph.Source;
        var sourceTasks = (InMemoryAgentTaskStore)harness.Tasks.Source;
        await source.UpsertProjectAsync(new ProjectUpsert("npm", "only-in-memory") { Version = "1.0.0" });
        await source.UpsertProjectAsync(new ProjectUpsert("npm", "dep"));
        await source.AddDependencyAsync(new ProjectKey("npm", "only-in-memory"), new ProjectKey("npm", "dep"));
        var task = await sourceTasks.CreateTaskAsync(new NewAgentTask("drifted", AgentTaskType.Spec));
        var sink = new RepairJournalDriftSink(harness.Coordinator);

        var report = await new ConsistencyEngine(_time).CheckAsync(Side(harness, BackendRole.Source), Side(harness, BackendRole.Target), sink: sink);

        Assert.Equal(4, report.MissingInTarget);
        Assert.Equal(4, sink.Journaled);
        Assert.Equal(4, harness.Journal.PendingWithGoodSide(BackendRole.Source));
        Assert.True(harness.Journal.TryGetGoodSide(EntityKey.AgentTask(task.Id), out var good));
        Assert.Equal(BackendRole.Source, good);

        await harness.AssertConvergedAsync();
        var after = await new ConsistencyEngine(_time).CheckAsync(Side(harness, BackendRole.Source), Side(harness, BackendRole.Target));
        Assert.True(after.IsConsistent);
    }

    [Fact]
    public async Task Differences_found_with_PostgreSQL_primary_are_journaled_with_the_target_as_the_good_side()
    {
        using var harness = DualWriteHarness.InMemory(MigrationFlags.For(MigrationPhase.TargetPrimary), _time, _ids);
        await harness.Graph.Target.UpsertProjectAsync(new ProjectUpsert("pypi", "only-in-target") { Version = "2.0.0" });
        var sink = new RepairJournalDriftSink(harness.Coordinator);

        var report = await new ConsistencyEngine(_time).CheckAsync(Side(harness, BackendRole.Source), Side(harness, BackendRole.Target), sink: sink);

        Assert.Equal(1, report.ExtraInTarget);
        Assert.True(harness.Journal.TryGetGoodSide(EntityKey.Project(new ProjectKey("pypi", "only-in-target")), out var good));
        Assert.Equal(BackendRole.Target, good);
        await harness.AssertConvergedAsync();
        Assert.Equal("2.0.0", (await harness.Graph.Source.GetProjectAsync(new ProjectKey("pypi", "only-in-target")))?.Version);
    }

    [Fact]
    public void Every_checker_kind_maps_to_the_journal_key_with_the_same_parts()
    {
        var id = Guid.Parse("0190a5c8-0000-7000-8000-000000000001");
        var edge = new DependencyEdge(new ProjectKey("npm", "a"), new ProjectKey("npm", "b"));

        Assert.Equal(EntityKey.Project(new ProjectKey("npm", "a")), RepairJournalDriftSink.KeyOf(RecordKey.Project(new ProjectKey("npm", "a"))));
        Assert.Equal(EntityKey.Dependency(edge), RepairJournalDriftSink.KeyOf(RecordKey.Dependency(edge)));
        Assert.Equal(EntityKey.Contributor(id), RepairJournalDriftSink.KeyOf(RecordKey.Contributor(id)));
        Assert.Equal(EntityKey.Asset(id), RepairJournalDriftSink.KeyOf(RecordKey.Asset(id)));
        Assert.Equal(EntityKey.Contribution(id), RepairJournalDriftSink.KeyOf(RecordKey.Contribution(id)));
        Assert.Equal(EntityKey.AgentTask("task-1"), RepairJournalDriftSink.KeyOf(RecordKey.AgentTask("task-1")));
    }

    private static LiveStoreSource Side(DualWriteHarness harness, BackendRole role)
        => role == BackendRole.Source
            ? new LiveStoreSource(harness.Graph.Source, harness.Tasks.Source, "source")
            : new LiveStoreSource(harness.Graph.Target, harness.Tasks.Target, "target");
}

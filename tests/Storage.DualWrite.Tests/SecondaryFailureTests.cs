using System.Diagnostics;
using Polly.CircuitBreaker;

namespace Storage.DualWrite.Tests;

/// <summary>What a failing backend does to callers, the journal and the breaker.</summary>
public sealed class SecondaryFailureTests : IDisposable
{
    private readonly ManualTimeProvider _resilienceTime = new();
    private readonly FaultyBackends _backends = new();
    private DualWriteHarness? _harness;

    private DualWriteHarness Harness => _harness!;

    public void Dispose() => _harness?.Dispose();

    [Theory]
    [InlineData(MigrationPhase.DualWrite)]
    [InlineData(MigrationPhase.ReadShift)]
    public async Task A_dead_target_fails_no_call_journals_every_key_and_is_repaired_when_it_returns(MigrationPhase phase)
    {
        Start(MigrationFlags.For(phase, 50));
        _backends.TargetFaults.Down = true;

        var projects = new List<ProjectKey>();
        for (var i = 0; i < 30; i++)
        {
            projects.Add((await Harness.Graph.UpsertProjectAsync(new ProjectUpsert("npm", $"p{i}"))).Key);
            Assert.NotNull(await Harness.Graph.GetProjectAsync(projects[^1]));
        }

        var task = await Harness.Tasks.CreateTaskAsync(new NewAgentTask("do it", AgentTaskType.Impl));
        await Harness.Tasks.ClaimTaskAsync(task.Id, "worker-1");
        Assert.Equal(AgentTaskStatus.Running, (await Harness.Tasks.GetTaskAsync(task.Id))!.Status);

        Assert.Equal(CircuitState.Open, Harness.Coordinator.BreakerState);
        Assert.Equal(31, Harness.Journal.PendingCount);
        Assert.Contains(Harness.Journal.Pending(), p => p.Key == EntityKey.AgentTask(task.Id) && p.Value == BackendRole.Source);

        _backends.TargetFaults.Down = false;
        _resilienceTime.Advance(TimeSpan.FromSeconds(2));
        await Harness.AssertConvergedAsync();
    }

    [Fact]
    public async Task Once_the_breaker_is_open_a_dead_target_costs_a_write_almost_nothing()
    {
        Start(MigrationFlags.For(MigrationPhase.DualWrite));
        _backends.TargetFaults.Next = static () => new Fault(FaultKind.Delay, 5_000);

        // The first writes wait for the timeout; then the breaker opens.
        for (var i = 0; Harness.Coordinator.BreakerState != CircuitState.Open; i++)
        {
            Assert.True(i < 20, "the breaker did not open");
            await Harness.Graph.UpsertProjectAsync(new ProjectUpsert("npm", $"slow{i}"));
        }

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            await Harness.Graph.UpsertProjectAsync(new ProjectUpsert("npm", $"fast{i}"));
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"100 writes took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_failed_target_read_falls_back_at_once_without_a_retry_while_a_failed_target_write_is_retried()
    {
        Start(MigrationFlags.For(MigrationPhase.ReadShift, 100));
        var key = (await Harness.Graph.UpsertProjectAsync(new ProjectUpsert("npm", "read-me"))).Key;
        _backends.TargetFaults.Down = true;

        var before = _backends.TargetFaults.Injected;
        Assert.Equal("read-me", (await Harness.Graph.GetProjectAsync(key))?.Name);
        Assert.Equal(1, _backends.TargetFaults.Injected - before);

        before = _backends.TargetFaults.Injected;
        await Harness.Graph.UpsertProjectAsync(new ProjectUpsert("npm", "write-me"));
        Assert.Equal(1 + Harness.Options.SecondaryRetries, _backends.TargetFaults.Injected - before);
    }

    [Fact]
    public async Task A_target_write_whose_answer_is_lost_is_journaled_and_repaired()
    {
        Start(MigrationFlags.For(MigrationPhase.DualWrite));
        _backends.TargetFaults.Next = static () => new Fault(FaultKind.FailAfter);

        var contributor = await Harness.Graph.CreateContributorAsync(new NewContributor("Ada") { Email = "ada@x.io" });
        var asset = await Harness.Graph.CreateAssetAsync(new NewAsset("model", AssetType.Model));
        await Harness.Graph.CreateContributionAsync(new NewContribution(contributor.Id, asset.Id, 10.25m, 0.5m));

        // Contributor (by id and by email) and asset failed; the contribution was not sent, its asset being pending.
        Assert.Equal(4, Harness.Journal.PendingCount);
        _backends.TargetFaults.Next = static () => Fault.None;
        await Harness.AssertConvergedAsync();
    }

    [Fact]
    public async Task A_contribution_to_an_asset_the_target_missed_is_journaled_not_sent_and_totals_converge()
    {
        Start(MigrationFlags.For(MigrationPhase.ReadShift, 100));
        var contributor = await Harness.Graph.CreateContributorAsync(new NewContributor("Ada"));
        _backends.TargetFaults.Down = true;
        var asset = await Harness.Graph.CreateAssetAsync(new NewAsset("data", AssetType.Data));
        _backends.TargetFaults.Down = false;

        await Harness.Graph.CreateContributionAsync(new NewContribution(contributor.Id, asset.Id, 1.50m, 1m));
        await Harness.Graph.CreateContributionAsync(new NewContribution(contributor.Id, asset.Id, 2.25m, 1m));

        Assert.Null(await _backends.TargetGraph.GetAssetAsync(asset.Id));
        Assert.Equal("3.75", (await Harness.Graph.GetAssetAsync(asset.Id))!.TotalCost.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Harness.AssertConvergedAsync();
    }

    [Fact]
    public async Task A_delete_the_target_missed_also_removes_the_edges_there()
    {
        Start(MigrationFlags.For(MigrationPhase.DualWrite));
        foreach (var name in new[] { "a", "b", "c" })
        {
            await Harness.Graph.UpsertProjectAsync(new ProjectUpsert("npm", name));
        }

        await Harness.Graph.AddDependencyAsync(new("npm", "a"), new("npm", "b"));
        await Harness.Graph.AddDependencyAsync(new("npm", "c"), new("npm", "b"));
        _backends.TargetFaults.Down = true;
        Assert.True(await Harness.Graph.DeleteProjectAsync(new("npm", "b")));
        _backends.TargetFaults.Down = false;
        await Harness.Graph.UpsertProjectAsync(new ProjectUpsert("npm", "b"));

        await Harness.AssertConvergedAsync();
        Assert.Empty(await _backends.TargetGraph.GetDependentsAsync(new("npm", "b")));
    }

    [Fact]
    public async Task With_the_target_primary_its_failure_fails_the_call_cleanly_and_loses_nothing_acknowledged()
    {
        Start(MigrationFlags.For(MigrationPhase.TargetPrimary));
        var acknowledged = await Harness.Tasks.CreateTaskAsync(new NewAgentTask("first", AgentTaskType.Spec) { Id = "t-1" });
        _backends.TargetFaults.Down = true;

        await Assert.ThrowsAsync<InjectedFaultException>(() => Harness.Tasks.CreateTaskAsync(new NewAgentTask("second", AgentTaskType.Spec) { Id = "t-2" }));
        await Assert.ThrowsAsync<InjectedFaultException>(() => Harness.Tasks.UpdateTaskAsync("t-1", new AgentTaskUpdate { Progress = 50 }));
        await Assert.ThrowsAsync<InjectedFaultException>(() => Harness.Graph.UpsertProjectAsync(new ProjectUpsert("npm", "x")));
        Assert.Null(await _backends.SourceTasks.GetTaskAsync("t-2"));

        _backends.TargetFaults.Down = false;
        Assert.Equal(acknowledged, await Harness.Tasks.GetTaskAsync("t-1"));
        Assert.Equal(acknowledged, await _backends.SourceTasks.GetTaskAsync("t-1"));
        await Harness.AssertConvergedAsync();
    }

    [Fact]
    public async Task With_the_target_primary_a_failing_source_is_journaled_and_repaired_from_the_target()
    {
        Start(MigrationFlags.For(MigrationPhase.TargetPrimary));
        _backends.SourceFaults.Down = true;
        var task = await Harness.Tasks.CreateTaskAsync(new NewAgentTask("work", AgentTaskType.Heal));
        await Harness.Tasks.UpdateTaskAsync(task.Id, new AgentTaskUpdate { Status = AgentTaskStatus.NeedsDecision, DecisionPrompt = "go?" });

        Assert.Equal(BackendRole.Target, Assert.Single(Harness.Journal.Pending()).Value);
        _backends.SourceFaults.Down = false;
        _resilienceTime.Advance(TimeSpan.FromSeconds(2));
        await Harness.AssertConvergedAsync();
    }

    [Fact]
    public async Task Stepping_from_target_primary_back_to_dual_write_copies_keys_the_source_missed_before_writing_them()
    {
        Start(MigrationFlags.For(MigrationPhase.TargetPrimary));
        var task = await Harness.Tasks.CreateTaskAsync(new NewAgentTask("work", AgentTaskType.Heal) { Id = "t-9" });
        _backends.SourceFaults.Down = true;
        await Harness.Tasks.UpdateTaskAsync(task.Id, new AgentTaskUpdate { Output = "from phase 4" });
        _backends.SourceFaults.Down = false;

        Harness.Flags.Set(MigrationFlags.For(MigrationPhase.DualWrite));
        var updated = await Harness.Tasks.UpdateTaskAsync(task.Id, new AgentTaskUpdate { Progress = 70 });

        Assert.Equal("from phase 4", updated.Output);
        Assert.Equal(70, updated.Progress);
        await Harness.AssertConvergedAsync();
    }

    private void Start(MigrationFlags flags) => _harness = _backends.Harness(flags, resilienceTime: _resilienceTime);
}

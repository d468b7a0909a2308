using System.Diagnostics.Metrics;

namespace Storage.DualWrite.Tests;

public sealed class WarmStartAndShadowTests
{
    [Fact]
    public async Task A_restarted_host_in_dual_write_fills_its_in_memory_store_from_the_target_before_serving()
    {
        var before = new FaultyBackends();
        using (var first = before.Harness(MigrationFlags.For(MigrationPhase.DualWrite)))
        {
            await first.Graph.UpsertProjectAsync(new ProjectUpsert("npm", "a"));
            await first.Graph.UpsertProjectAsync(new ProjectUpsert("npm", "b"));
            await first.Graph.AddDependencyAsync(new("npm", "a"), new("npm", "b"));
            var contributor = await first.Graph.CreateContributorAsync(new NewContributor("Ada") { Email = "ada@x.io" });
            var asset = await first.Graph.CreateAssetAsync(new NewAsset("a", AssetType.Code));
            await first.Graph.CreateContributionAsync(new NewContribution(contributor.Id, asset.Id, 3m, 1m));
            await first.Tasks.CreateTaskAsync(new NewAgentTask("t", AgentTaskType.Spec));
        }

        // A new process: an empty in-memory store over the same target.
        var after = new FaultyBackends();
        using var second = new DualWriteHarness(
            after.SourceGraph, before.TargetGraph, after.SourceTasks, before.TargetTasks, MigrationFlags.For(MigrationPhase.DualWrite));
        var warmStart = new DualWriteWarmStart(second.Graph, second.Tasks, second.Flags);

        await warmStart.StartAsync(CancellationToken.None);

        await StoreAssert.EqualAsync(before.TargetGraph, after.SourceGraph);
        await StoreAssert.EqualAsync(before.TargetTasks, after.SourceTasks);
        Assert.Equal(2, await second.Graph.CountProjectsAsync());
    }

    [Fact]
    public async Task Shadow_reads_compare_off_the_callers_path_and_count_mismatched_fields()
    {
        var backends = new FaultyBackends();
        var options = DualWriteHarness.FastOptions();
        options.ShadowSampleRate = 1;
        using var harness = backends.Harness(MigrationFlags.For(MigrationPhase.DualWrite), options: options);
        var outcomes = new List<(string Instrument, string Tag)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DualWriteTelemetry.Name && instrument.Name.StartsWith("storage.dual_write.shadow", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            lock (outcomes)
            {
                foreach (var tag in tags)
                {
                    if (tag.Key is DualWriteTelemetry.OutcomeTag or DualWriteTelemetry.FieldTag)
                    {
                        outcomes.Add((instrument.Name, (string)tag.Value!));
                    }
                }
            }
        });
        listener.Start();

        await harness.Graph.UpsertProjectAsync(new ProjectUpsert("npm", "same") { Description = "d" });
        await backends.TargetGraph.UpsertProjectAsync(new ProjectUpsert("npm", "differs") { Description = "target" });
        await backends.SourceGraph.UpsertProjectAsync(new ProjectUpsert("npm", "differs") { Description = "source" });
        Assert.Equal("d", (await harness.Graph.GetProjectAsync(new("npm", "same")))!.Description);
        Assert.Equal("source", (await harness.Graph.GetProjectAsync(new("npm", "differs")))!.Description);

        using var stop = new CancellationTokenSource();
        var worker = harness.Coordinator.RunShadowComparisonsAsync(stop.Token);
        for (var i = 0; i < 100 && CountOf(outcomes, "match") + CountOf(outcomes, "mismatch") < 2; i++)
        {
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => worker);
        Assert.Equal(1, CountOf(outcomes, "match"));
        Assert.Equal(1, CountOf(outcomes, "mismatch"));
        Assert.Contains((DualWriteTelemetry.ShadowMismatches, nameof(Project.Description)), outcomes);
    }

    private static int CountOf(List<(string Instrument, string Tag)> outcomes, string tag)
    {
        lock (outcomes)
        {
            return outcomes.Count(o => o.Instrument == DualWriteTelemetry.ShadowComparisons && o.Tag == tag);
        }
    }
}

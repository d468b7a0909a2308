namespace Storage.DualWrite.Tests;

/// <summary>
/// Flags flip while several workers write and read their own keys: no call fails, no read misses the caller's own
/// completed write, and the two backends are equal at the end.
/// </summary>
public sealed class FlagFlipWorkloadTests : IDisposable
{
    private const int Workers = 4;
    private const int StepsPerWorker = 250;
    private const int FlipEvery = 60;

    private static readonly MigrationFlags[] Sequence =
    [
        MigrationFlags.For(MigrationPhase.DualWrite),
        MigrationFlags.For(MigrationPhase.ReadShift, 10),
        MigrationFlags.For(MigrationPhase.ReadShift, 50),
        MigrationFlags.For(MigrationPhase.ReadShift, 100),
        MigrationFlags.For(MigrationPhase.TargetPrimary),
        MigrationFlags.For(MigrationPhase.ReadShift, 100),
        MigrationFlags.For(MigrationPhase.ReadShift, 50),
        MigrationFlags.For(MigrationPhase.DualWrite),
        MigrationFlags.Off,
        MigrationFlags.For(MigrationPhase.DualWrite),
        MigrationFlags.For(MigrationPhase.ReadShift, 10),
        MigrationFlags.For(MigrationPhase.ReadShift, 50),
    ];

    private readonly FaultyBackends _backends = new();
    private readonly DualWriteHarness _harness;
    private int _operations;
    private int _flips;

    public FlagFlipWorkloadTests()
    {
        var options = DualWriteHarness.FastOptions();
        options.ReconcileInterval = TimeSpan.FromMilliseconds(2);
        _harness = _backends.Harness(MigrationFlags.Off, options: options);
    }

    public void Dispose()
    {
        _harness.Reconciler.Dispose();
        _harness.Dispose();
    }

    [Fact]
    public async Task Flipping_flags_under_load_fails_nothing_hides_no_own_write_and_ends_equal()
    {
        // The reconciler drains keys journaled while dual writes were off, concurrently with the workload.
        await _harness.Reconciler.StartAsync(CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(() => RunWorkerAsync(worker))));
        await _harness.Reconciler.StopAsync(CancellationToken.None);

        Assert.True(_flips >= Sequence.Length, $"only {_flips} flips happened");
        _harness.Flags.Set(MigrationFlags.For(MigrationPhase.DualWrite));
        await _harness.AssertConvergedAsync();
    }

    private async Task RunWorkerAsync(int worker)
    {
        var graph = _harness.Graph;
        var tasks = _harness.Tasks;
        var asset = await graph.CreateAssetAsync(new NewAsset($"asset-{worker}", AssetType.Data));
        Step();
        var total = 0.00m;
        for (var i = 0; i < StepsPerWorker; i++)
        {
            var key = new ProjectKey("npm", $"w{worker}-p{i % 7}");
            var description = $"w{worker} step {i}";
            await graph.UpsertProjectAsync(new ProjectUpsert(key.Ecosystem, key.Name) { Description = description });
            Step();
            Assert.Equal(description, (await graph.GetProjectAsync(key))!.Description);

            switch (i % 5)
            {
                case 0:
                    var contributor = await graph.CreateContributorAsync(new NewContributor($"c{worker}-{i}") { Email = $"c{worker}-{i}@x.io" });
                    Step();
                    Assert.Equal(contributor, await graph.FindContributorByEmailAsync($"C{worker}-{i}@X.IO"));
                    Assert.Equal(contributor, await graph.GetContributorAsync(contributor.Id));
                    var contribution = await graph.CreateContributionAsync(new NewContribution(contributor.Id, asset.Id, 1.25m, 0.5m));
                    Step();
                    total += 1.25m;
                    Assert.Equal(contribution, await graph.GetContributionAsync(contribution.Id));
                    Assert.Equal(total, (await graph.GetAssetAsync(asset.Id))!.TotalCost);
                    break;
                case 1:
                    var task = await tasks.CreateTaskAsync(new NewAgentTask($"task {i}", AgentTaskType.Impl) { Id = $"w{worker}-t{i}" });
                    Step();
                    Assert.Equal(task, await tasks.GetTaskAsync(task.Id));
                    var claimed = await tasks.ClaimTaskAsync(task.Id, $"worker-{worker}");
                    Step();
                    Assert.Equal(claimed, await tasks.GetTaskAsync(task.Id));
                    var updated = await tasks.UpdateTaskAsync(task.Id, new AgentTaskUpdate { Progress = i % 100, Output = description });
                    Step();
                    Assert.Equal(updated, await tasks.GetTaskAsync(task.Id));
                    break;
                case 2:
                    var next = new ProjectKey("npm", $"w{worker}-p{(i + 1) % 7}");
                    await graph.UpsertProjectAsync(new ProjectUpsert(next.Ecosystem, next.Name) { Description = description });
                    Step();
                    await graph.AddDependencyAsync(key, next);
                    Step();
                    Assert.Contains(next, (await graph.GetDependenciesAsync(key)).Select(p => p.Key));
                    break;
                case 3:
                    await graph.RemoveDependencyAsync(new ProjectKey("npm", $"w{worker}-p{(i + 5) % 7}"), key);
                    Step();
                    Assert.DoesNotContain(key, (await graph.GetDependenciesAsync(new ProjectKey("npm", $"w{worker}-p{(i + 5) % 7}"))).Select(p => p.Key));
                    break;
                default:
                    var victim = new ProjectKey("npm", $"w{worker}-p{(i + 3) % 7}");
                    await graph.DeleteProjectAsync(victim);
                    Step();
                    Assert.Null(await graph.GetProjectAsync(victim));
                    break;
            }
        }
    }

    /// <summary>Counts a completed write; every <see cref="FlipEvery"/> writes, moves the flags one step along the sequence.</summary>
    private void Step()
    {
        if (Interlocked.Increment(ref _operations) % FlipEvery == 0)
        {
            var flip = Interlocked.Increment(ref _flips);
            _harness.Flags.Set(Sequence[flip % Sequence.Length]);
        }
    }
}

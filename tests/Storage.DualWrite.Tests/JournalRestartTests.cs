namespace Storage.DualWrite.Tests;

/// <summary>A process that stops with keys pending: the next one replays the journal and repairs them.</summary>
public sealed class JournalRestartTests : IDisposable
{
    private readonly string _journalPath = DualWriteHarness.TempJournalPath();

    public void Dispose() => File.Delete(_journalPath);

    [Fact]
    public async Task A_new_decorator_over_the_same_journal_replays_it_and_repairs_the_keys()
    {
        var backends = new FaultyBackends();
        var flags = MigrationFlags.For(MigrationPhase.ReadShift, 100);
        int pending;
        using (var before = backends.Harness(flags, _journalPath))
        {
            backends.TargetFaults.Down = true;
            await before.Graph.UpsertProjectAsync(new ProjectUpsert("npm", "a"));
            await before.Graph.UpsertProjectAsync(new ProjectUpsert("npm", "b"));
            await before.Graph.AddDependencyAsync(new("npm", "a"), new("npm", "b"));
            var contributor = await before.Graph.CreateContributorAsync(new NewContributor("Ada") { Email = "ada@x.io" });
            var asset = await before.Graph.CreateAssetAsync(new NewAsset("code", AssetType.Code));
            await before.Graph.CreateContributionAsync(new NewContribution(contributor.Id, asset.Id, 5m, 0.25m));
            await before.Tasks.CreateTaskAsync(new NewAgentTask("run", AgentTaskType.Test) { Id = "t-1" });
            pending = before.Journal.PendingCount;
        }

        // The process stopped; the target is back.
        backends.TargetFaults.Down = false;
        using var after = backends.Harness(flags, _journalPath);

        Assert.Equal(pending, after.Journal.PendingCount);
        Assert.Equal(8, pending);
        Assert.Equal("ada@x.io", (await after.Graph.FindContributorByEmailAsync("ADA@x.io"))!.Email);

        await after.AssertConvergedAsync();
        Assert.Equal(0, new FileInfo(_journalPath).Length);
    }
}

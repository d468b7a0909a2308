using Storage.Consistency.Tests.Support;
using Storage.InMemory;

namespace Storage.Consistency.Tests;

public sealed class DerivedValueTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ManualTimeProvider _time = new(Stores.Epoch);

    public void Dispose() => _folder.Dispose();

    // The whole gap is a contribution made after the snapshot; the only drift (coherence_score) moves no amount.
    // Repairing the drift leaves the total exactly as it is: the asset should count as changed, like the pure case.
    [Fact]
    public async Task A_total_moved_only_by_changes_is_changed_even_beside_a_drift_that_moves_no_amount()
    {
        var (graph, tasks) = Stores.NewPair(_time);
        var alice = await graph.CreateContributorAsync(new NewContributor("alice"));
        var asset = await graph.CreateAssetAsync(new NewAsset("asset", AssetType.Code));
        var old = await graph.CreateContributionAsync(new NewContribution(alice.Id, asset.Id, 5.00m, 0.5m));
        _time.Advance(TimeSpan.FromSeconds(1));
        var path = _folder.File("snap.jsonl");
        await SnapshotWriter.WriteAsync(path, graph, tasks, _time);
        _time.Advance(TimeSpan.FromSeconds(1));
        await graph.CreateContributionAsync(new NewContribution(alice.Id, asset.Id, 7.00m, 0.5m));   // changed: the whole gap
        await graph.ImportContributionsAsync([old with { CoherenceScore = 0.9m }]);                   // drift, no amount

        await using var snapshot = await SnapshotFileSource.OpenAsync(path);
        await using var live = new LiveStoreSource(graph, tasks, "live");
        var sink = new CollectingSink();
        var report = await new ConsistencyEngine(_time).CheckAsync(snapshot, live, sink: sink);

        Assert.Equal([RecordKey.Asset(asset.Id)], report[RecordKind.Asset].ChangedSample);
    }

    // A gap in scale alone (5.0 against 5.00): no write of records fixes it, whatever else drifted.
    [Fact]
    public async Task A_total_differing_in_scale_alone_is_unexplained_even_beside_a_drift_that_moves_no_amount()
    {
        var (graph, tasks) = Stores.NewPair(_time);
        var alice = await graph.CreateContributorAsync(new NewContributor("alice"));
        var asset = await graph.CreateAssetAsync(new NewAsset("asset", AssetType.Code));
        var old = await graph.CreateContributionAsync(new NewContribution(alice.Id, asset.Id, 5.00m, 0.5m));
        _time.Advance(TimeSpan.FromSeconds(1));
        var path = _folder.File("snap.jsonl");
        await SnapshotWriter.WriteAsync(path, graph, tasks, _time);
        var lines = await File.ReadAllLinesAsync(path);
        await File.WriteAllLinesAsync(path, lines.Select(l => l.Replace("\"total_cost\":5.00", "\"total_cost\":5.0", StringComparison.Ordinal)));
        await graph.ImportContributionsAsync([old with { CoherenceScore = 0.9m }]);

        await using var snapshot = await SnapshotFileSource.OpenAsync(path);
        await using var live = new LiveStoreSource(graph, tasks, "live");
        var sink = new CollectingSink();
        await new ConsistencyEngine(_time).CheckAsync(snapshot, live, sink: sink);

        Assert.True(sink.Drifts.Single(d => d.Kind == RecordKind.Asset).UnexplainedDerived);
    }

    // A contribution moved between two held assets: both totals are explained by it.
    [Fact]
    public async Task A_contribution_moved_between_two_assets_explains_both_totals()
    {
        var (graph, tasks) = Stores.NewPair(_time);
        var alice = await graph.CreateContributorAsync(new NewContributor("alice"));
        var a = await graph.CreateAssetAsync(new NewAsset("a", AssetType.Code));
        var b = await graph.CreateAssetAsync(new NewAsset("b", AssetType.Code));
        var c = await graph.CreateContributionAsync(new NewContribution(alice.Id, a.Id, 5.25m, 0.5m));
        await graph.CreateContributionAsync(new NewContribution(alice.Id, b.Id, 1.00m, 0.5m));
        _time.Advance(TimeSpan.FromSeconds(1));
        var path = _folder.File("snap.jsonl");
        await SnapshotWriter.WriteAsync(path, graph, tasks, _time);
        await graph.ImportContributionsAsync([c with { AssetId = b.Id, CostAmount = 2.50m }]);

        await using var snapshot = await SnapshotFileSource.OpenAsync(path);
        await using var live = new LiveStoreSource(graph, tasks, "live");
        var sink = new CollectingSink();
        await new ConsistencyEngine(_time).CheckAsync(snapshot, live, sink: sink);

        var assets = sink.Drifts.Where(d => d.Kind == RecordKind.Asset).ToList();
        Assert.Equal(2, assets.Count);
        Assert.All(assets, d => Assert.False(d.UnexplainedDerived));
    }
}

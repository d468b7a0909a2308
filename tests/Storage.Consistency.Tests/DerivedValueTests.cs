using System.Runtime.CompilerServices;
using Storage.Consistency.Tests.Support;
using Storage.InMemory;

namespace Storage.Consistency.Tests;

/// <summary>
/// An asset's total against a snapshot of one asset with one contribution of 5.00: what moved it since (changed
/// contributions, drifted ones, a write between the reads) decides whether it is changed, a difference, or unexplained.
/// </summary>
public sealed class DerivedValueTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ManualTimeProvider _time = new(Stores.Epoch);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task CheckAsync_reports_a_total_that_contributions_changed_since_the_snapshot_do_not_account_for()
    {
        var one = await SnapshotOneAssetAsync(totalInFile: "4.00");
        await one.AddAsync(7.00m);    // after the snapshot: 7.00 of the 8.00

        var (report, _) = await one.CheckAsync();

        Assert.Equal(RecordKey.Asset(one.Asset.Id), Assert.Single(report[RecordKind.Asset].DifferentSample).Key);
        Assert.Equal(1, report.ChangedSinceSnapshot);
    }

    [Fact]
    public async Task CheckAsync_never_lets_changed_contributions_explain_a_total_that_differs_in_scale_alone()
    {
        var one = await SnapshotOneAssetAsync(totalInFile: "5.0");
        await one.AddAsync(0.00m);    // after the snapshot, amount 0

        var (report, _) = await one.CheckAsync();

        Assert.Equal(RecordKey.Asset(one.Asset.Id), Assert.Single(report[RecordKind.Asset].DifferentSample).Key);
        Assert.Empty(report[RecordKind.Asset].ChangedSample);
    }

    [Fact]
    public async Task CheckAsync_marks_a_total_unexplained_when_its_drifted_contributions_do_not_add_up_to_the_gap()
    {
        var one = await SnapshotOneAssetAsync(totalInFile: "4.00");
        await one.DriftCoherenceAsync();    // drift that moves no amount

        var (_, sink) = await one.CheckAsync();

        Assert.True(sink.Drifts.Single(d => d.Kind == RecordKind.Asset).UnexplainedDerived);
        Assert.Equal(["coherence_score"], sink.Drifts.Single(d => d.Kind == RecordKind.Contribution).Fields);
    }

    // The whole gap is a contribution made after the snapshot; the only drift (coherence_score) moves no amount.
    // Repairing the drift leaves the total exactly as it is: the asset should count as changed, like the pure case.
    [Fact]
    public async Task A_total_moved_only_by_changes_is_changed_even_beside_a_drift_that_moves_no_amount()
    {
        var one = await SnapshotOneAssetAsync();
        await one.AddAsync(7.00m);          // changed: the whole gap
        await one.DriftCoherenceAsync();    // drift, no amount

        var (report, _) = await one.CheckAsync();

        Assert.Equal([RecordKey.Asset(one.Asset.Id)], report[RecordKind.Asset].ChangedSample);
    }

    // A gap in scale alone (5.0 against 5.00): no write of records fixes it, whatever else drifted.
    [Fact]
    public async Task A_total_differing_in_scale_alone_is_unexplained_even_beside_a_drift_that_moves_no_amount()
    {
        var one = await SnapshotOneAssetAsync(totalInFile: "5.0");
        await one.DriftCoherenceAsync();

        var (_, sink) = await one.CheckAsync();

        Assert.True(sink.Drifts.Single(d => d.Kind == RecordKind.Asset).UnexplainedDerived);
    }

    // An asset already moved by a contribution made after the snapshot; another lands between the asset read and the
    // contribution read (a live PostgreSQL, read kind by kind). Both moves are changes since the snapshot: nothing says
    // either side's own total is wrong: a difference (a recheck tells), not an unexplained one.
    [Fact]
    public async Task A_contribution_landing_between_the_two_reads_does_not_make_the_total_unexplained()
    {
        var one = await SnapshotOneAssetAsync();
        await one.AddAsync(2.00m);    // before the check

        var (_, sink) = await one.CheckAsync(live => new WriteBeforeContributions(live, () => one.AddAsync(3.00m)));

        Assert.False(sink.Drifts.Single(d => d.Kind == RecordKind.Asset).UnexplainedDerived);
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

    /// <summary>
    /// Stores holding one contributor and one asset with a contribution of 5.00, and a snapshot of them taken a second
    /// later, the asset's total written in it as <paramref name="totalInFile"/>; the clock then moves on a second.
    /// </summary>
    private async Task<OneAsset> SnapshotOneAssetAsync(string totalInFile = "5.00")
    {
        var (graph, tasks) = Stores.NewPair(_time);
        var alice = await graph.CreateContributorAsync(new NewContributor("alice"));
        var asset = await graph.CreateAssetAsync(new NewAsset("asset", AssetType.Code));
        var contribution = await graph.CreateContributionAsync(new NewContribution(alice.Id, asset.Id, 5.00m, 0.5m));
        _time.Advance(TimeSpan.FromSeconds(1));
        var path = _folder.File("snap.jsonl");
        await SnapshotWriter.WriteAsync(path, graph, tasks, _time);
        var lines = await File.ReadAllLinesAsync(path);
        await File.WriteAllLinesAsync(path, lines.Select(l => l.Replace("\"total_cost\":5.00", $"\"total_cost\":{totalInFile}", StringComparison.Ordinal)));
        _time.Advance(TimeSpan.FromSeconds(1));
        return new OneAsset(graph, tasks, alice, asset, contribution, path, _time);
    }

    private sealed record OneAsset(
        InMemoryGraphStore Graph, InMemoryAgentTaskStore Tasks, Contributor Alice, Asset Asset, Contribution Contribution, string Path, TimeProvider Time)
    {
        /// <summary>A contribution to the asset made now (after the snapshot).</summary>
        public Task<Contribution> AddAsync(decimal amount) => Graph.CreateContributionAsync(new NewContribution(Alice.Id, Asset.Id, amount, 0.5m));

        /// <summary>Drift in the snapshot's contribution, stamped as before: its coherence score, no amount.</summary>
        public Task<int> DriftCoherenceAsync() => Graph.ImportContributionsAsync([Contribution with { CoherenceScore = 0.9m }]);

        /// <summary>Checks the live stores (as <paramref name="wrap"/> makes them, if given) against the snapshot.</summary>
        public async Task<(ConsistencyReport Report, CollectingSink Sink)> CheckAsync(Func<LiveStoreSource, IConsistencySource>? wrap = null)
        {
            await using var snapshot = await SnapshotFileSource.OpenAsync(Path);
            var store = new LiveStoreSource(Graph, Tasks, "live");
            await using var live = wrap?.Invoke(store) ?? store;
            var sink = new CollectingSink();
            return (await new ConsistencyEngine(Time).CheckAsync(snapshot, live, sink: sink), sink);
        }
    }

    /// <summary>The live side, with a write landing just before its contributions are read.</summary>
    private sealed class WriteBeforeContributions(LiveStoreSource inner, Func<Task> write) : ForwardingSource(inner)
    {
        public override async IAsyncEnumerable<Contribution> StreamContributionsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await write();
            await foreach (var c in inner.StreamContributionsAsync(cancellationToken))
            {
                yield return c;
            }
        }
    }
}

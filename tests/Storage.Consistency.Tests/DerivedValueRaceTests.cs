using System.Runtime.CompilerServices;
using Storage.Consistency.Tests.Support;
using Storage.InMemory;

namespace Storage.Consistency.Tests;

public sealed class DerivedValueRaceTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ManualTimeProvider _time = new(Stores.Epoch);

    public void Dispose() => _folder.Dispose();

    // An asset already moved by a contribution made after the snapshot; another lands between the asset read and the
    // contribution read (a live PostgreSQL, read kind by kind). Both moves are changes since the snapshot: nothing says
    // either side's own total is wrong: a difference (a recheck tells), not an unexplained one.
    [Fact]
    public async Task A_contribution_landing_between_the_two_reads_does_not_make_the_total_unexplained()
    {
        var (graph, tasks) = Stores.NewPair(_time);
        var alice = await graph.CreateContributorAsync(new NewContributor("alice"));
        var asset = await graph.CreateAssetAsync(new NewAsset("asset", AssetType.Code));
        await graph.CreateContributionAsync(new NewContribution(alice.Id, asset.Id, 5.00m, 0.5m));
        _time.Advance(TimeSpan.FromSeconds(1));
        var path = _folder.File("snap.jsonl");
        await SnapshotWriter.WriteAsync(path, graph, tasks, _time);
        _time.Advance(TimeSpan.FromSeconds(1));
        await graph.CreateContributionAsync(new NewContribution(alice.Id, asset.Id, 2.00m, 0.5m));   // before the check

        await using var snapshot = await SnapshotFileSource.OpenAsync(path);
        await using var inner = new LiveStoreSource(graph, tasks, "live");
        await using var live = new WriteBeforeContributions(inner, () => graph.CreateContributionAsync(new NewContribution(alice.Id, asset.Id, 3.00m, 0.5m)));
        var sink = new CollectingSink();
        await new ConsistencyEngine(_time).CheckAsync(snapshot, live, sink: sink);

        Assert.False(sink.Drifts.Single(d => d.Kind == RecordKind.Asset).UnexplainedDerived);
    }

    private sealed class WriteBeforeContributions(LiveStoreSource inner, Func<Task> write) : IConsistencySource
    {
        public string Description => inner.Description;

        public DateTimeOffset? TakenAt => inner.TakenAt;

        public bool CanLookUp => inner.CanLookUp;

        public ValueTask<long?> EstimateRecordCountAsync(CancellationToken cancellationToken = default) => inner.EstimateRecordCountAsync(cancellationToken);

        public IAsyncEnumerable<Project> StreamProjectsAsync(CancellationToken cancellationToken = default) => inner.StreamProjectsAsync(cancellationToken);

        public IAsyncEnumerable<DependencyEdge> StreamDependenciesAsync(CancellationToken cancellationToken = default) => inner.StreamDependenciesAsync(cancellationToken);

        public IAsyncEnumerable<Contributor> StreamContributorsAsync(CancellationToken cancellationToken = default) => inner.StreamContributorsAsync(cancellationToken);

        public IAsyncEnumerable<Asset> StreamAssetsAsync(CancellationToken cancellationToken = default) => inner.StreamAssetsAsync(cancellationToken);

        public async IAsyncEnumerable<Contribution> StreamContributionsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await write();
            await foreach (var c in inner.StreamContributionsAsync(cancellationToken))
            {
                yield return c;
            }
        }

        public IAsyncEnumerable<AgentTask> StreamTasksAsync(CancellationToken cancellationToken = default) => inner.StreamTasksAsync(cancellationToken);

        public ValueTask<object?> LookUpAsync(RecordKey key, CancellationToken cancellationToken = default) => inner.LookUpAsync(key, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

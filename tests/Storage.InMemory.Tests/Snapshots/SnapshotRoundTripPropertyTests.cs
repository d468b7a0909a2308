using FsCheck;
using FsCheck.Fluent;
using Storage.InMemory;

namespace Storage.InMemory.Tests;

/// <summary>For random store contents, save then load gives an equal store.</summary>
public sealed class SnapshotRoundTripPropertyTests : IDisposable
{
    private static readonly string[] Words = ["a", "b", "é", "Z", "😀", "%", "_", "\\", "\"", " x ", "ß", "日本"];
    private readonly SnapshotFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Save_then_load_is_the_identity_for_random_stores()
    {
        var word = Gen.Elements(Words);
        var text = Gen.ListOf(word).Select(parts => string.Concat(parts));
        var graph = Gen.Zip(
            Gen.ListOf(Gen.Zip(word, text)),
            Gen.ListOf(Gen.Zip(Gen.Choose(0, 50), Gen.Choose(0, 50))));
        var rest = Gen.Zip(
            Gen.ListOf(Gen.Zip(Gen.Choose(0, 99_999), Gen.Choose(0, 100))),
            Gen.ListOf(Gen.Zip(text, Gen.Elements(Enum.GetValues<AgentTaskStatus>()))));

        Prop.ForAll(
                Gen.Zip(graph, rest).ToArbitrary(),
                c => RoundTripAsync(c.Item1.Item1, c.Item1.Item2, c.Item2.Item1, c.Item2.Item2).GetAwaiter().GetResult())
            .QuickCheckThrowOnFailure();
    }

    private async Task<bool> RoundTripAsync(
        IReadOnlyList<(string, string)> projects,
        IReadOnlyList<(int, int)> edges,
        IReadOnlyList<(int, int)> contributions,
        IReadOnlyList<(string, AgentTaskStatus)> tasks)
    {
        var (graph, taskStore) = _fixture.NewStores();
        var keys = new List<ProjectKey>();
        foreach (var (ecosystem, name) in projects)
        {
            var project = await graph.UpsertProjectAsync(new ProjectUpsert(ecosystem, "p" + name) { Description = name });
            keys.Add(project.Key);
            _fixture.Time.Advance(TimeSpan.FromTicks(10));
        }

        foreach (var (from, to) in edges)
        {
            if (keys.Count > 0 && keys[from % keys.Count] != keys[to % keys.Count])
            {
                await graph.AddDependencyAsync(keys[from % keys.Count], keys[to % keys.Count]);
            }
        }

        var contributor = await graph.CreateContributorAsync(new NewContributor("c"));
        var asset = await graph.CreateAssetAsync(new NewAsset("a", AssetType.Data));
        foreach (var (cents, score) in contributions)
        {
            await graph.CreateContributionAsync(new NewContribution(contributor.Id, asset.Id, cents / 100m, score / 100m));
        }

        foreach (var (direction, status) in tasks)
        {
            var created = await taskStore.CreateTaskAsync(new NewAgentTask("do " + direction, AgentTaskType.Impl));
            await taskStore.UpdateTaskAsync(created.Id, new AgentTaskUpdate { Status = status, Output = direction });
        }

        var path = _fixture.PathOf(Path.GetRandomFileName());
        await InMemorySnapshot.SaveAsync(path, graph, taskStore, _fixture.Time);
        var (loadedGraph, loadedTasks) = _fixture.NewStores();
        await InMemorySnapshot.LoadAsync(path, loadedGraph, loadedTasks);
        await SnapshotAssert.EqualAsync(graph, taskStore, loadedGraph, loadedTasks);
        return true;
    }
}

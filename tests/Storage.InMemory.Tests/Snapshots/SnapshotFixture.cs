using Storage.InMemory;

namespace Storage.InMemory.Tests;

/// <summary>A pair of in-memory stores with a little of everything, and a temp folder for snapshot files.</summary>
public sealed class SnapshotFixture : IDisposable
{
    public SnapshotFixture()
    {
        Graph = new InMemoryGraphStore(Time, Ids);
        Tasks = new InMemoryAgentTaskStore(Time, Ids);
        Directory.CreateDirectory(Folder);
    }

    public ManualTimeProvider Time { get; } = new();

    public SequentialIdGenerator Ids { get; } = new();

    public InMemoryGraphStore Graph { get; }

    public InMemoryAgentTaskStore Tasks { get; }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "storage-snapshot-tests", Path.GetRandomFileName());

    public string PathOf(string name) => Path.Combine(Folder, name);

    public (InMemoryGraphStore Graph, InMemoryAgentTaskStore Tasks) NewStores()
        => (new InMemoryGraphStore(Time, Ids), new InMemoryAgentTaskStore(Time, Ids));

    public async Task FillAsync()
    {
        await Graph.UpsertProjectAsync(new ProjectUpsert("npm", "react") { Version = "18.2.0", Description = "UI — \"quoted\" ✓ 😀" });
        Time.Advance(TimeSpan.FromSeconds(1));
        await Graph.UpsertProjectAsync(new ProjectUpsert("npm", "scheduler") { HomepageUrl = "https://example.org/s" });
        await Graph.UpsertProjectAsync(new ProjectUpsert("pypi", "requests"));
        await Graph.AddDependencyAsync(new ProjectKey("npm", "react"), new ProjectKey("npm", "scheduler"));
        var alice = await Graph.CreateContributorAsync(new NewContributor("Alice") { Email = "Alice@Example.org", Metadata = JsonMetadata.Parse("""{"b":1,"a":[true,null]}""") });
        var model = await Graph.CreateAssetAsync(new NewAsset("model", AssetType.Model) { Description = "weights" });
        Time.Advance(TimeSpan.FromMilliseconds(3));
        await Graph.CreateContributionAsync(new NewContribution(alice.Id, model.Id, 12.34m, 0.5m));
        await Graph.CreateContributionAsync(new NewContribution(alice.Id, model.Id, 0.01m, 1m));
        var task = await Tasks.CreateTaskAsync(new NewAgentTask("write the spec", AgentTaskType.Spec) { Context = JsonMetadata.Parse("""{"k":"v"}""") });
        await Tasks.ClaimTaskAsync(task.Id, "worker-1");
        await Tasks.CreateTaskAsync(new NewAgentTask("review it", AgentTaskType.Review) { Id = "review-1" });
    }

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}

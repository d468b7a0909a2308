using Storage.Consistency;

namespace Storage.Consistency.Tests.Support;

/// <summary>
/// The content of a store pair as plain records (the model the property tests reason about): what to import, and,
/// with <see cref="WithDerived"/>, what the stores then return (dependency counts and asset totals derived).
/// </summary>
public sealed class DataSet
{
    public List<Project> Projects { get; init; } = [];

    public List<DependencyEdge> Edges { get; init; } = [];

    public List<Contributor> Contributors { get; init; } = [];

    public List<Asset> Assets { get; init; } = [];

    public List<Contribution> Contributions { get; init; } = [];

    public List<AgentTask> Tasks { get; init; } = [];

    public DataSet Copy() => new()
    {
        Projects = [.. Projects],
        Edges = [.. Edges],
        Contributors = [.. Contributors],
        Assets = [.. Assets],
        Contributions = [.. Contributions],
        Tasks = [.. Tasks],
    };

    /// <summary>The records as a store returns them: each project's outgoing edge count, each asset's contribution sum.</summary>
    public DataSet WithDerived() => new()
    {
        Projects = [.. Projects.Select(p => p with { DependencyCount = Edges.Count(e => e.From == p.Key) })],
        Edges = [.. Edges],
        Contributors = [.. Contributors],
        Assets = [.. Assets.Select(a => a with { TotalCost = Contributions.Where(c => c.AssetId == a.Id).Aggregate(0.00m, (sum, c) => sum + c.CostAmount) })],
        Contributions = [.. Contributions],
        Tasks = [.. Tasks],
    };

    /// <summary>The records of one kind, boxed, with their keys.</summary>
    public IEnumerable<(RecordKey Key, object Record)> Records(RecordKind kind) => kind switch
    {
        RecordKind.Project => Projects.Select(p => (RecordKey.Project(p.Key), (object)p)),
        RecordKind.Dependency => Edges.Select(e => (RecordKey.Dependency(e), (object)e)),
        RecordKind.Contributor => Contributors.Select(c => (RecordKey.Contributor(c.Id), (object)c)),
        RecordKind.Asset => Assets.Select(a => (RecordKey.Asset(a.Id), (object)a)),
        RecordKind.Contribution => Contributions.Select(c => (RecordKey.Contribution(c.Id), (object)c)),
        _ => Tasks.Select(t => (RecordKey.AgentTask(t.Id), (object)t)),
    };

    public int Count => Projects.Count + Edges.Count + Contributors.Count + Assets.Count + Contributions.Count + Tasks.Count;

    /// <summary>Imports everything, in dependency order.</summary>
    public async Task ImportAsync(IGraphStore graph, IAgentTaskStore tasks)
    {
        await graph.ImportProjectsAsync(Projects);
        await graph.ImportDependenciesAsync(Edges);
        await graph.ImportContributorsAsync(Contributors);
        await graph.ImportAssetsAsync(Assets);
        await graph.ImportContributionsAsync(Contributions);
        await tasks.ImportTasksAsync(Tasks);
    }

    /// <summary>Reads everything a store pair holds.</summary>
    public static async Task<DataSet> ReadAsync(IGraphStore graph, IAgentTaskStore tasks) => new()
    {
        Projects = await graph.StreamProjectsAsync().ToListAsync(),
        Edges = await graph.StreamDependenciesAsync().ToListAsync(),
        Contributors = await graph.StreamContributorsAsync().ToListAsync(),
        Assets = await graph.StreamAssetsAsync().ToListAsync(),
        Contributions = await graph.StreamContributionsAsync().ToListAsync(),
        Tasks = await tasks.StreamTasksAsync().ToListAsync(),
    };
}

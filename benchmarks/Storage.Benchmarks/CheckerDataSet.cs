using Storage.Abstractions;
using Storage.InMemory;

namespace Storage.Benchmarks;

/// <summary>
/// The checker's deterministic data set, built in in-memory stores and written as a snapshot: the projects and tasks
/// of <see cref="DataSet"/>, two edges per project, and contributors, assets and contributions.
/// </summary>
internal static class CheckerDataSet
{
    private const int Batch = 10_000;
    private static readonly DateTimeOffset Epoch = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes the data set of <paramref name="projects"/> projects to <paramref name="path"/>; returns the records written.</summary>
    public static async Task<long> WriteSnapshotAsync(string path, int projects)
    {
        var time = TimeProvider.System;
        var ids = new GuidV7IdGenerator(time);
        var graph = new InMemoryGraphStore(time, ids);
        var tasks = new InMemoryAgentTaskStore(time, ids);
        foreach (var batch in DataSet.Projects(0, projects, Batch))
        {
            await graph.ImportProjectsAsync(batch);
        }

        foreach (var batch in Chunks(Edges(projects)))
        {
            await graph.ImportDependenciesAsync(batch);
        }

        var people = Math.Max(1, projects / 10);
        foreach (var batch in Chunks(Enumerable.Range(0, people).Select(Contributor)))
        {
            await graph.ImportContributorsAsync(batch);
        }

        foreach (var batch in Chunks(Enumerable.Range(0, people).Select(Asset)))
        {
            await graph.ImportAssetsAsync(batch);
        }

        foreach (var batch in Chunks(Enumerable.Range(0, Math.Max(1, projects / 5)).Select(i => Contribution(i, people))))
        {
            await graph.ImportContributionsAsync(batch);
        }

        foreach (var batch in DataSet.Tasks(projects, Batch))
        {
            await tasks.ImportTasksAsync(batch);
        }

        var summary = await SnapshotWriter.WriteAsync(path, graph, tasks, time);
        return summary.Total;
    }

    /// <summary>Two edges per project (fewer where they would point at itself or twice at one project).</summary>
    private static IEnumerable<DependencyEdge> Edges(int projects)
    {
        for (var i = 0; i < projects; i++)
        {
            var first = (int)((i * 7L + 1) % projects);
            var second = (int)((i * 13L + 5) % projects);
            if (first != i)
            {
                yield return new DependencyEdge(DataSet.Key(i), DataSet.Key(first));
            }

            if (second != i && second != first)
            {
                yield return new DependencyEdge(DataSet.Key(i), DataSet.Key(second));
            }
        }
    }

    private static Guid Id(int kind, int i) => new(i, (short)kind, 0x7000, 0x80, 0, 0, 0, 0, 0, 0, 1);

    private static Contributor Contributor(int i)
    {
        var at = Epoch.AddSeconds(i);
        return new Contributor(Id(1, i), $"contributor {i}", $"person{i}@example.org", $"gh-{i}", null, JsonMetadata.Empty, at, at);
    }

    private static Asset Asset(int i)
    {
        var at = Epoch.AddSeconds(i);
        return new Asset(Id(2, i), $"asset {i}", $"asset number {i}", (AssetType)(i % 4), 0m, JsonMetadata.Empty, at, at);
    }

    private static Contribution Contribution(int i, int people)
        => new(Id(3, i), Id(1, i % people), Id(2, i * 7 % people), new decimal(100 + i % 10_000, 0, 0, false, 2),
            new decimal(i % 101, 0, 0, false, 2), JsonMetadata.Empty, Epoch.AddSeconds(i));

    private static IEnumerable<T[]> Chunks<T>(IEnumerable<T> items) => items.Chunk(Batch);
}

using System.Globalization;
using Storage.InMemory;

namespace Storage.MigrationWalk;

/// <summary>
/// Generates the walk's data set through the in-memory stores' own API (so every derived value is the stores' own) and
/// saves it as a snapshot file, which the host loads at start like any in-memory deployment.
/// </summary>
public static class DataSetGenerator
{
    /// <summary>Words that project names and descriptions are made of; search terms come from the same list.</summary>
    public static readonly IReadOnlyList<string> Words =
    [
        "async", "binary", "cache", "delta", "event", "fast", "graph", "http", "image", "json", "kernel", "lambda",
        "matrix", "network", "object", "parser", "query", "router", "stream", "token", "unicode", "vector", "worker", "yaml",
    ];

    private static readonly string[] Ecosystems = ["npm", "pypi", "cargo", "maven", "nuget"];
    private static readonly AgentTaskType[] TaskTypes = Enum.GetValues<AgentTaskType>();

    /// <summary>Project <paramref name="index"/>'s key; the same index always gives the same key.</summary>
    public static ProjectKey ProjectKeyOf(int index)
        => new(Ecosystems[index % Ecosystems.Length], string.Create(CultureInfo.InvariantCulture, $"{Words[index % Words.Count]}-{Words[(index / 7) % Words.Count]}-{index:D7}"));

    /// <summary>Fills fresh in-memory stores with <paramref name="size"/>, saves them to <paramref name="snapshotPath"/> and returns the keys.</summary>
    public static async Task<WalkCatalog> GenerateAsync(DataSetSize size, string snapshotPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(size);
        var time = TimeProvider.System;
        var ids = new GuidV7IdGenerator(time);
        var graph = new InMemoryGraphStore(time, ids);
        var tasks = new InMemoryAgentTaskStore(time, ids);
        var random = new Random(20261122);

        var projects = new ProjectKey[size.Projects];
        for (var i = 0; i < size.Projects; i++)
        {
            var key = ProjectKeyOf(i);
            projects[i] = key;
            await graph.UpsertProjectAsync(
                new ProjectUpsert(key.Ecosystem, key.Name)
                {
                    Version = string.Create(CultureInfo.InvariantCulture, $"1.{i % 10}.0"),
                    Description = Describe(random),
                    RepositoryUrl = string.Create(CultureInfo.InvariantCulture, $"https://example.org/{key.Ecosystem}/{key.Name}"),
                },
                cancellationToken);
        }

        var edges = 0;
        for (var step = 1; edges < size.Edges; step++)
        {
            for (var i = 0; i < size.Projects && edges < size.Edges; i++)
            {
                var to = (int)((i + ((long)step * 7_919)) % size.Projects);
                if (to != i && await graph.AddDependencyAsync(projects[i], projects[to], cancellationToken))
                {
                    edges++;
                }
            }
        }

        var contributors = new Guid[size.Contributors];
        for (var i = 0; i < contributors.Length; i++)
        {
            var contributor = await graph.CreateContributorAsync(
                new NewContributor(string.Create(CultureInfo.InvariantCulture, $"Contributor {i}")) { Email = string.Create(CultureInfo.InvariantCulture, $"contributor{i}@example.org") },
                cancellationToken);
            contributors[i] = contributor.Id;
        }

        var assets = new Guid[size.Assets];
        for (var i = 0; i < assets.Length; i++)
        {
            var asset = await graph.CreateAssetAsync(
                new NewAsset(string.Create(CultureInfo.InvariantCulture, $"asset-{i}"), (AssetType)(i % 4)) { Description = Describe(random) },
                cancellationToken);
            assets[i] = asset.Id;
        }

        var contributions = new Guid[size.Contributions];
        for (var i = 0; i < contributions.Length; i++)
        {
            var contribution = await graph.CreateContributionAsync(
                new NewContribution(contributors[random.Next(contributors.Length)], assets[random.Next(assets.Length)], Money(random), Score(random)),
                cancellationToken);
            contributions[i] = contribution.Id;
        }

        var taskIds = new List<string>(size.Tasks);
        for (var i = 0; i < size.Tasks; i++)
        {
            var task = await tasks.CreateTaskAsync(
                new NewAgentTask(Describe(random), TaskTypes[i % TaskTypes.Length]) { Model = "model-a", Tier = (i % 3).ToString(CultureInfo.InvariantCulture) },
                cancellationToken);
            taskIds.Add(task.Id);
            if (i % 4 != 0)
            {
                var status = (AgentTaskStatus)(1 + (i % 4));
                await tasks.UpdateTaskAsync(task.Id, new AgentTaskUpdate { Status = status, Progress = status == AgentTaskStatus.Completed ? 100 : 50 }, cancellationToken);
            }
        }

        await InMemorySnapshot.SaveAsync(snapshotPath, graph, tasks, time, cancellationToken);
        return new WalkCatalog(projects, contributors, assets, contributions, taskIds);
    }

    /// <summary>A short description of three words of <see cref="Words"/>.</summary>
    public static string Describe(Random random)
        => string.Join(' ', "A", Words[random.Next(Words.Count)], Words[random.Next(Words.Count)], "library for", Words[random.Next(Words.Count)]);

    /// <summary>A cost with two decimals.</summary>
    public static decimal Money(Random random) => random.Next(1, 100_000) / 100m;

    /// <summary>A coherence score with two decimals.</summary>
    public static decimal Score(Random random) => random.Next(0, 101) / 100m;
}

using System.Globalization;

namespace Storage.Testing;

public abstract partial class GraphStoreContractTests
{
    /// <summary>One step of the clock, used between operations whose order matters.</summary>
    protected static readonly TimeSpan Step = TimeSpan.FromSeconds(1);

    /// <summary>A project key as given (not normalized).</summary>
    protected static ProjectKey Key(string ecosystem, string name) => new(ecosystem, name);

    /// <summary>An npm project key.</summary>
    protected static ProjectKey Npm(string name) => new("npm", name);

    /// <summary>Creates or replaces a project with the given key and description.</summary>
    protected Task<Project> UpsertAsync(string ecosystem, string name, string? description = null)
        => Store.UpsertProjectAsync(new ProjectUpsert(ecosystem, name) { Description = description });

    /// <summary>Creates npm projects with the given names.</summary>
    protected async Task UpsertNpmAsync(params string[] names)
    {
        foreach (var name in names)
        {
            await UpsertAsync("npm", name);
        }
    }

    /// <summary>Adds npm edges given as (from, to) pairs; the projects must exist.</summary>
    protected async Task AddNpmEdgesAsync(params (string From, string To)[] edges)
    {
        foreach (var (from, to) in edges)
        {
            Assert.True(await Store.AddDependencyAsync(Npm(from), Npm(to)));
        }
    }

    protected Task<Contributor> CreateContributorAsync(string name = "Ada", string? email = null)
        => Store.CreateContributorAsync(new NewContributor(name) { Email = email });

    protected Task<Asset> CreateAssetAsync(string name = "asset", AssetType type = AssetType.Code)
        => Store.CreateAssetAsync(new NewAsset(name, type));

    protected Task<Contribution> ContributeAsync(Guid contributorId, Guid assetId, decimal cost, decimal coherence = 0.5m)
        => Store.CreateContributionAsync(new NewContribution(contributorId, assetId, cost, coherence));

    /// <summary>The time the store reads now, as it stores it (whole microseconds, UTC).</summary>
    protected DateTimeOffset Now => StorageTime.Now(Time);

    /// <summary>The ids a fresh <see cref="SequentialIdGenerator"/> like <see cref="Ids"/> hands out first.</summary>
    protected static Guid[] ExpectedIds(int count)
    {
        var generator = new SequentialIdGenerator();
        return Enumerable.Range(0, count).Select(_ => generator.NewId()).ToArray();
    }

    /// <summary>Asserts that the action throws a validation error for <paramref name="field"/>.</summary>
    protected static async Task<StorageValidationException> AssertInvalidAsync(string field, Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<StorageValidationException>(action);
        Assert.Equal(field, error.Field);
        return error;
    }

    /// <summary>Asserts that the action throws not-found for <paramref name="entity"/> with <paramref name="key"/>.</summary>
    protected static async Task AssertNotFoundAsync(string entity, string key, Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<EntityNotFoundException>(action);
        Assert.Equal(entity, error.Entity);
        Assert.Equal(key, error.Key);
    }

    /// <summary>Reads a whole stream into a list.</summary>
    protected static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> stream)
    {
        var items = new List<T>();
        await foreach (var item in stream)
        {
            items.Add(item);
        }

        return items;
    }

    /// <summary>The keys of the projects, in the order given.</summary>
    protected static string[] Names(IEnumerable<Project> projects) => projects.Select(p => p.Name).ToArray();

    /// <summary>A decimal as invariant text, so its scale is compared too ("0.30", not "0.3").</summary>
    protected static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Everything the store holds, read through its streams.</summary>
    protected async Task<GraphContents> ReadContentsAsync()
        => new(
            await ToListAsync(Store.StreamProjectsAsync()),
            await ToListAsync(Store.StreamDependenciesAsync()),
            await ToListAsync(Store.StreamContributorsAsync()),
            await ToListAsync(Store.StreamAssetsAsync()),
            await ToListAsync(Store.StreamContributionsAsync()));

    /// <summary>Asserts that the store holds exactly <paramref name="expected"/>, element by element.</summary>
    protected async Task AssertContentsAsync(GraphContents expected)
    {
        var actual = await ReadContentsAsync();
        Assert.Equal(expected.Projects, actual.Projects);
        Assert.Equal(expected.Edges, actual.Edges);
        Assert.Equal(expected.Contributors, actual.Contributors);
        Assert.Equal(expected.Assets, actual.Assets);
        Assert.Equal(expected.Contributions, actual.Contributions);
    }

    /// <summary>The full contents of a graph store, each list in its stream order.</summary>
    protected sealed record GraphContents(
        IReadOnlyList<Project> Projects,
        IReadOnlyList<DependencyEdge> Edges,
        IReadOnlyList<Contributor> Contributors,
        IReadOnlyList<Asset> Assets,
        IReadOnlyList<Contribution> Contributions);
}

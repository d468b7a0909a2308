namespace Storage.DualWrite;

public sealed partial class DualWriteGraphStore
{
    /// <inheritdoc/>
    public IAsyncEnumerable<Project> StreamProjectsAsync(CancellationToken cancellationToken = default)
        => Stream(static (store, token) => store.StreamProjectsAsync(token), cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<DependencyEdge> StreamDependenciesAsync(CancellationToken cancellationToken = default)
        => Stream(static (store, token) => store.StreamDependenciesAsync(token), cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<Contributor> StreamContributorsAsync(CancellationToken cancellationToken = default)
        => Stream(static (store, token) => store.StreamContributorsAsync(token), cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<Asset> StreamAssetsAsync(CancellationToken cancellationToken = default)
        => Stream(static (store, token) => store.StreamAssetsAsync(token), cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<Contribution> StreamContributionsAsync(CancellationToken cancellationToken = default)
        => Stream(static (store, token) => store.StreamContributionsAsync(token), cancellationToken);

    /// <inheritdoc/>
    public Task<int> ImportProjectsAsync(IReadOnlyCollection<Project> projects, CancellationToken cancellationToken = default)
    {
        var keys = DualWriteKeys.TryAll(projects, static p => DualWriteKeys.TryProject(p.Key, out var k) ? k : null);
        return keys is null
            ? Authoritative.ImportProjectsAsync(projects, cancellationToken)
            : ImportAsync("ImportProjects", keys, keys, None, projects, static (store, batch, token) => store.ImportProjectsAsync(batch, token), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<int> ImportDependenciesAsync(IReadOnlyCollection<DependencyEdge> edges, CancellationToken cancellationToken = default)
    {
        var valid = edges is not null;
        var keys = new List<EntityKey>();
        var ends = new List<EntityKey>();
        foreach (var edge in edges ?? [])
        {
            if (!DualWriteKeys.TryEdge(edge.From, edge.To, out var normalized))
            {
                valid = false;
                break;
            }

            keys.Add(EntityKey.Dependency(normalized));
            ends.Add(EntityKey.Project(normalized.From));
            ends.Add(EntityKey.Project(normalized.To));
        }

        return valid
            ? ImportAsync("ImportDependencies", [.. ends], [.. keys], [.. ends], edges!, static (store, batch, token) => store.ImportDependenciesAsync(batch, token), cancellationToken)
            : Authoritative.ImportDependenciesAsync(edges!, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<int> ImportContributorsAsync(IReadOnlyCollection<Contributor> contributors, CancellationToken cancellationToken = default)
    {
        var ids = DualWriteKeys.TryAll(contributors, static c => EntityKey.Contributor(c.Id));
        var emails = DualWriteKeys.TryAll(
            contributors,
            static c => c.Email is null || string.IsNullOrWhiteSpace(c.Email) ? EntityKey.Contributor(c.Id)
                : DualWriteKeys.TryEmail(c.Email, out var k) ? k : null);
        return ids is null || emails is null
            ? Authoritative.ImportContributorsAsync(contributors, cancellationToken)
            : ImportAsync("ImportContributors", [.. ids, .. emails.Distinct()], [.. ids, .. emails.Distinct()], None, contributors, static (store, batch, token) => store.ImportContributorsAsync(batch, token), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<int> ImportAssetsAsync(IReadOnlyCollection<Asset> assets, CancellationToken cancellationToken = default)
    {
        var keys = DualWriteKeys.TryAll(assets, static a => EntityKey.Asset(a.Id));
        return keys is null
            ? Authoritative.ImportAssetsAsync(assets, cancellationToken)
            : ImportAsync("ImportAssets", keys, keys, None, assets, static (store, batch, token) => store.ImportAssetsAsync(batch, token), cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Locks the assets of the batch: their totals change.</remarks>
    public Task<int> ImportContributionsAsync(IReadOnlyCollection<Contribution> contributions, CancellationToken cancellationToken = default)
    {
        var ids = DualWriteKeys.TryAll(contributions, static c => EntityKey.Contribution(c.Id));
        var assets = DualWriteKeys.TryAll(contributions, static c => EntityKey.Asset(c.AssetId));
        var contributors = DualWriteKeys.TryAll(contributions, static c => EntityKey.Contributor(c.ContributorId));
        return ids is null || assets is null || contributors is null
            ? Authoritative.ImportContributionsAsync(contributions, cancellationToken)
            : ImportAsync(
                "ImportContributions",
                [.. assets.Distinct()],
                [.. ids, .. assets.Distinct()],
                [.. contributors.Distinct()],
                contributions,
                static (store, batch, token) => store.ImportContributionsAsync(batch, token),
                cancellationToken);
    }

    /// <summary>An import: the authoritative backend first, then the same batch to the other (imports are idempotent state writes).</summary>
    private Task<int> ImportAsync<T>(
        string operation,
        EntityKey[] locks,
        EntityKey[] keys,
        EntityKey[] watch,
        IReadOnlyCollection<T> batch,
        Func<IGraphStore, IReadOnlyCollection<T>, CancellationToken, Task<int>> import,
        CancellationToken cancellationToken)
        => _coordinator.WriteAsync(
            _stores,
            this,
            operation,
            locks,
            known: keys,
            watch,
            write: (store, token) => import(store, batch, token),
            affected: _ => keys,
            lockAfter: null,
            mirror: (store, _, token) => import(store, batch, token),
            cancellationToken);
}

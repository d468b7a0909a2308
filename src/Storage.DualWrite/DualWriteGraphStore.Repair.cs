namespace Storage.DualWrite;

public sealed partial class DualWriteGraphStore
{
    /// <inheritdoc/>
    async Task<T> IKeyRepairer.WithKeyLockedAsync<T>(EntityKey key, BackendRole good, Func<Task<T>> repair, CancellationToken cancellationToken)
    {
        EntityKey[] locks;
        switch (key.Kind)
        {
            case EntityKind.Dependency:
                locks = [EntityKey.Project(key.Edge.From), EntityKey.Project(key.Edge.To)];
                break;
            case EntityKind.Contribution:
                // Contributions are serialized by their asset's lock; a contribution missing on the good side needs none.
                var stored = await Guard(_stores.Get(good), key.Id, static (s, id, t) => s.GetContributionAsync(id, t), cancellationToken);
                locks = [stored is null ? key : EntityKey.Asset(stored.AssetId)];
                break;
            default:
                locks = [key];
                break;
        }

        using var held = await _coordinator.Locks.AcquireAsync(locks, cancellationToken);
        return await repair();
    }

    /// <inheritdoc/>
    Task IKeyRepairer.RepairHeldAsync(EntityKey key, BackendRole good, CancellationToken cancellationToken)
    {
        var from = _stores.Get(good);
        var to = _stores.Other(good);
        return key.Kind switch
        {
            EntityKind.Project => RepairProjectAsync(key, good, from, to, cancellationToken),
            EntityKind.Dependency => RepairEdgeAsync(key.Edge, from, to, cancellationToken),
            EntityKind.Contributor => RepairContributorAsync(key.Id, from, to, cancellationToken),
            EntityKind.ContributorEmail => RepairContributorEmailAsync(key.First, from, to, cancellationToken),
            EntityKind.Asset => RepairAssetAsync(key.Id, from, to, cancellationToken),
            EntityKind.Contribution => RepairContributionAsync(key.Id, from, to, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(key), key.Kind, "not a graph key"),
        };
    }

    /// <summary>Copies the project (or its absence); edges that differ are journaled for their own repair.</summary>
    private async Task RepairProjectAsync(EntityKey key, BackendRole good, IGraphStore from, IGraphStore to, CancellationToken cancellationToken)
    {
        var projectKey = key.ProjectKey;
        var project = await Guard(from, projectKey, static (s, k, t) => s.GetProjectAsync(k, t), cancellationToken);
        if (project is null)
        {
            await Guard(to, projectKey, static (s, k, t) => s.DeleteProjectAsync(k, t), cancellationToken);
            return;
        }

        await Guard(to, project, static (s, p, t) => s.ImportProjectsAsync([p], t), cancellationToken);
        var differing = new List<EntityKey>();
        await CollectDifferingEdgesAsync(projectKey, from, to, outgoing: true, differing, cancellationToken);
        await CollectDifferingEdgesAsync(projectKey, from, to, outgoing: false, differing, cancellationToken);
        _coordinator.MarkDirty(differing, good);
    }

    private async Task CollectDifferingEdgesAsync(ProjectKey key, IGraphStore from, IGraphStore to, bool outgoing, List<EntityKey> differing, CancellationToken cancellationToken)
    {
        Func<IGraphStore, ProjectKey, CancellationToken, Task<IReadOnlyList<Project>>> list = outgoing
            ? static (s, k, t) => s.GetDependenciesAsync(k, t)
            : static (s, k, t) => s.GetDependentsAsync(k, t);
        var expected = (await Guard(from, key, list, cancellationToken)).Select(p => p.Key).ToHashSet();
        var actual = (await Guard(to, key, list, cancellationToken)).Select(p => p.Key).ToHashSet();
        expected.SymmetricExceptWith(actual);
        foreach (var other in expected)
        {
            differing.Add(EntityKey.Dependency(outgoing ? new DependencyEdge(key, other) : new DependencyEdge(other, key)));
        }
    }

    /// <summary>Adds the edge (and its missing projects) where the good side has it; removes it where the good side has not.</summary>
    private async Task RepairEdgeAsync(DependencyEdge edge, IGraphStore from, IGraphStore to, CancellationToken cancellationToken)
    {
        var start = await Guard(from, edge.From, static (s, k, t) => s.GetProjectAsync(k, t), cancellationToken);
        var exists = start is not null
            && (await Guard(from, edge.From, static (s, k, t) => s.GetDependenciesAsync(k, t), cancellationToken)).Any(p => p.Key == edge.To);
        if (!exists)
        {
            await Guard(to, edge, static (s, e, t) => s.RemoveDependencyAsync(e.From, e.To, t), cancellationToken);
            return;
        }

        foreach (var end in new[] { edge.From, edge.To })
        {
            if (await Guard(to, end, static (s, k, t) => s.GetProjectAsync(k, t), cancellationToken) is null
                && await Guard(from, end, static (s, k, t) => s.GetProjectAsync(k, t), cancellationToken) is { } project)
            {
                await Guard(to, project, static (s, p, t) => s.ImportProjectsAsync([p], t), cancellationToken);
            }
        }

        await Guard(to, edge, static (s, e, t) => s.AddDependencyAsync(e.From, e.To, t), cancellationToken);
    }

    private async Task RepairContributorAsync(Guid id, IGraphStore from, IGraphStore to, CancellationToken cancellationToken)
    {
        if (await Guard(from, id, static (s, i, t) => s.GetContributorAsync(i, t), cancellationToken) is { } contributor)
        {
            await Guard(to, contributor, static (s, c, t) => s.ImportContributorsAsync([c], t), cancellationToken);
        }
    }

    private async Task RepairContributorEmailAsync(string email, IGraphStore from, IGraphStore to, CancellationToken cancellationToken)
    {
        if (await Guard(from, email, static (s, e, t) => s.FindContributorByEmailAsync(e, t), cancellationToken) is { } contributor)
        {
            await Guard(to, contributor, static (s, c, t) => s.ImportContributorsAsync([c], t), cancellationToken);
        }
    }

    /// <summary>Copies the asset; when the totals still differ, copies its contributions (and their missing contributors).</summary>
    private async Task RepairAssetAsync(Guid id, IGraphStore from, IGraphStore to, CancellationToken cancellationToken)
    {
        var asset = await Guard(from, id, static (s, i, t) => s.GetAssetAsync(i, t), cancellationToken);
        if (asset is null)
        {
            return;
        }

        await Guard(to, asset, static (s, a, t) => s.ImportAssetsAsync([a], t), cancellationToken);
        if (await TotalMatchesAsync(asset, to, cancellationToken))
        {
            return;
        }

        for (var offset = 0; ; offset += StorageLimits.MaxPage)
        {
            var query = new ContributionQuery { AssetId = id, Limit = StorageLimits.MaxPage, Offset = offset };
            var page = await Guard(from, query, static (s, q, t) => s.ListContributionsAsync(q, t), cancellationToken);
            foreach (var contributorId in page.Select(c => c.ContributorId).Distinct())
            {
                await EnsureContributorAsync(contributorId, from, to, cancellationToken);
            }

            if (page.Count > 0)
            {
                await Guard(to, page, static (s, p, t) => s.ImportContributionsAsync([.. p], t), cancellationToken);
            }

            if (page.Count < StorageLimits.MaxPage)
            {
                break;
            }
        }

        if (!await TotalMatchesAsync(asset, to, cancellationToken))
        {
            throw new InvalidOperationException($"The total of asset {id:D} still differs after its contributions were copied.");
        }
    }

    private async Task<bool> TotalMatchesAsync(Asset asset, IGraphStore to, CancellationToken cancellationToken)
        => (await Guard(to, asset.Id, static (s, i, t) => s.GetAssetAsync(i, t), cancellationToken))?.TotalCost == asset.TotalCost;

    /// <summary>Copies the contribution, first copying its contributor and asset when the other side lacks them.</summary>
    private async Task RepairContributionAsync(Guid id, IGraphStore from, IGraphStore to, CancellationToken cancellationToken)
    {
        var contribution = await Guard(from, id, static (s, i, t) => s.GetContributionAsync(i, t), cancellationToken);
        if (contribution is null)
        {
            return;
        }

        await EnsureContributorAsync(contribution.ContributorId, from, to, cancellationToken);
        if (await Guard(to, contribution.AssetId, static (s, i, t) => s.GetAssetAsync(i, t), cancellationToken) is null
            && await Guard(from, contribution.AssetId, static (s, i, t) => s.GetAssetAsync(i, t), cancellationToken) is { } asset)
        {
            await Guard(to, asset, static (s, a, t) => s.ImportAssetsAsync([a], t), cancellationToken);
        }

        await Guard(to, contribution, static (s, c, t) => s.ImportContributionsAsync([c], t), cancellationToken);
    }

    private async Task EnsureContributorAsync(Guid id, IGraphStore from, IGraphStore to, CancellationToken cancellationToken)
    {
        if (await Guard(to, id, static (s, i, t) => s.GetContributorAsync(i, t), cancellationToken) is null)
        {
            await RepairContributorAsync(id, from, to, cancellationToken);
        }
    }

    /// <summary>One call to a backend through the resilience pipeline.</summary>
    private ValueTask<TResult> Guard<TArg, TResult>(IGraphStore store, TArg arg, Func<IGraphStore, TArg, CancellationToken, Task<TResult>> call, CancellationToken cancellationToken)
        => _coordinator.GuardAsync(token => call(store, arg, token), cancellationToken);
}

using Storage.Abstractions;

namespace Storage.InMemory;

public sealed partial class InMemoryGraphStore
{
    /// <summary>Contributors, assets and contributions newest first: created time descending, then id descending.</summary>
    private static readonly IComparer<NewestKey> NewestFirst = Comparer<NewestKey>.Create((x, y) =>
    {
        var byTime = y.CreatedAt.UtcTicks.CompareTo(x.CreatedAt.UtcTicks);
        return byTime != 0 ? byTime : StorageOrdering.CompareGuid(y.Id, x.Id);
    });

    /// <summary>
    /// Everything the store holds, kept in one object so that <see cref="ReplaceContents"/> is a reference swap.
    /// Accessed only under <see cref="_lock"/>.
    /// </summary>
    private sealed class GraphState
    {
        public Dictionary<ProjectKey, ProjectNode> Projects { get; } = [];

        public SortedSet<ProjectKey> ProjectKeys { get; } = new(StorageOrdering.ProjectKey);

        public Dictionary<Guid, Contributor> Contributors { get; } = [];

        public Dictionary<string, Guid> ContributorIdsByEmail { get; } = new(StringComparer.Ordinal);

        public SortedSet<NewestKey> ContributorOrder { get; } = new(NewestFirst);

        /// <summary>Assets with their maintained total cost.</summary>
        public Dictionary<Guid, Asset> Assets { get; } = [];

        public SortedSet<NewestKey> AssetOrder { get; } = new(NewestFirst);

        public Dictionary<Guid, Contribution> Contributions { get; } = [];

        public SortedSet<NewestKey> ContributionOrder { get; } = new(NewestFirst);

        public Dictionary<Guid, SortedSet<NewestKey>> ContributionsByAsset { get; } = [];

        public Dictionary<Guid, SortedSet<NewestKey>> ContributionsByContributor { get; } = [];

        public Project Read(ProjectKey key) => Projects[key].Read();

        public ProjectNode Require(ProjectKey key)
            => Projects.TryGetValue(key, out var node) ? node : throw StorageErrors.ProjectNotFound(key);

        /// <summary>Creates or replaces a project's fields; its edges are kept.</summary>
        public void Put(Project project)
        {
            var stored = project with { DependencyCount = 0 };
            if (Projects.TryGetValue(project.Key, out var node))
            {
                node.Project = stored;
            }
            else
            {
                Projects.Add(project.Key, new ProjectNode(stored));
                ProjectKeys.Add(project.Key);
            }
        }

        public bool AddEdge(DependencyEdge edge)
        {
            if (!Projects[edge.From].Outgoing.Add(edge.To))
            {
                return false;
            }

            Projects[edge.To].Incoming.Add(edge.From);
            return true;
        }

        public void Put(Contributor contributor)
        {
            if (Contributors.Remove(contributor.Id, out var old))
            {
                ContributorOrder.Remove(new NewestKey(old.CreatedAt, old.Id));
                if (old.Email is { } oldEmail)
                {
                    ContributorIdsByEmail.Remove(oldEmail);
                }
            }

            Contributors.Add(contributor.Id, contributor);
            ContributorOrder.Add(new NewestKey(contributor.CreatedAt, contributor.Id));
            if (contributor.Email is { } email)
            {
                ContributorIdsByEmail[email] = contributor.Id;
            }
        }

        /// <summary>Creates or replaces an asset; its total follows the contributions already stored for it.</summary>
        public void Put(Asset asset)
        {
            var total = 0.00m;
            if (ContributionsByAsset.TryGetValue(asset.Id, out var keys))
            {
                foreach (var key in keys)
                {
                    total += Contributions[key.Id].CostAmount;
                }
            }

            if (Assets.Remove(asset.Id, out var old))
            {
                AssetOrder.Remove(new NewestKey(old.CreatedAt, old.Id));
            }

            Assets.Add(asset.Id, asset with { TotalCost = total });
            AssetOrder.Add(new NewestKey(asset.CreatedAt, asset.Id));
        }

        /// <summary>Creates or replaces a contribution, moving the totals of the assets involved.</summary>
        public void Put(Contribution contribution)
        {
            if (Contributions.Remove(contribution.Id, out var old))
            {
                var oldKey = new NewestKey(old.CreatedAt, old.Id);
                ContributionOrder.Remove(oldKey);
                ContributionsByAsset[old.AssetId].Remove(oldKey);
                ContributionsByContributor[old.ContributorId].Remove(oldKey);
                AddToTotal(old.AssetId, -old.CostAmount);
            }

            var key = new NewestKey(contribution.CreatedAt, contribution.Id);
            Contributions.Add(contribution.Id, contribution);
            ContributionOrder.Add(key);
            Index(ContributionsByAsset, contribution.AssetId).Add(key);
            Index(ContributionsByContributor, contribution.ContributorId).Add(key);
            AddToTotal(contribution.AssetId, contribution.CostAmount);
        }

        private static SortedSet<NewestKey> Index(Dictionary<Guid, SortedSet<NewestKey>> index, Guid id)
        {
            if (!index.TryGetValue(id, out var keys))
            {
                keys = new SortedSet<NewestKey>(NewestFirst);
                index.Add(id, keys);
            }

            return keys;
        }

        private void AddToTotal(Guid assetId, decimal amount)
        {
            var asset = Assets[assetId];
            Assets[assetId] = asset with { TotalCost = asset.TotalCost + amount + 0.00m };
        }
    }

    /// <summary>A project and its edges. The stored record's dependency count is unused (always 0).</summary>
    private sealed class ProjectNode(Project project)
    {
        public Project Project { get; set; } = project;

        /// <summary>The projects this one depends on.</summary>
        public SortedSet<ProjectKey> Outgoing { get; } = new(StorageOrdering.ProjectKey);

        /// <summary>The projects that depend on this one.</summary>
        public SortedSet<ProjectKey> Incoming { get; } = new(StorageOrdering.ProjectKey);

        /// <summary>The stored project with its dependency count taken from its outgoing edges.</summary>
        public Project Read() => Project with { DependencyCount = Outgoing.Count };
    }

    /// <summary>The sort key of a newest-first list.</summary>
    private readonly record struct NewestKey(DateTimeOffset CreatedAt, Guid Id);
}

namespace Storage.InMemory.Tests;

public sealed partial class GraphStorePropertyTests
{
    /// <summary>
    /// A deliberately naive reference for the graph store: plain collections, linear scans, derived values computed
    /// on demand. It shares only the input normalization (<see cref="StorageValidation"/>) and errors with the store.
    /// </summary>
    private sealed class GraphModel(TimeProvider time, IStorageIdGenerator ids)
    {
        private readonly Dictionary<ProjectKey, Project> _projects = [];
        private readonly HashSet<DependencyEdge> _edges = [];
        private readonly List<Contributor> _contributors = [];
        private readonly List<Asset> _assets = [];
        private readonly List<Contribution> _contributions = [];

        public List<Guid> ContributorIds { get; } = [];

        public List<Guid> AssetIds { get; } = [];

        public Project Upsert(ProjectUpsert upsert)
        {
            var fields = StorageValidation.Normalize(upsert);
            var key = new ProjectKey(fields.Ecosystem, fields.Name);
            var now = StorageTime.Now(time);
            var created = _projects.TryGetValue(key, out var old) ? old.CreatedAt : now;
            _projects[key] = new Project(key.Ecosystem, key.Name, fields.Version, fields.Description, fields.HomepageUrl, fields.RepositoryUrl, 0, created, now);
            return WithCount(_projects[key]);
        }

        public bool Delete(ProjectKey key)
        {
            var normalized = StorageValidation.Key(key);
            _edges.RemoveWhere(e => e.From == normalized || e.To == normalized);
            return _projects.Remove(normalized);
        }

        public bool AddEdge(ProjectKey from, ProjectKey to)
        {
            var edge = StorageValidation.Edge(from, to);
            foreach (var key in new[] { edge.From, edge.To })
            {
                if (!_projects.ContainsKey(key))
                {
                    throw StorageErrors.ProjectNotFound(key);
                }
            }

            return _edges.Add(edge);
        }

        public bool RemoveEdge(ProjectKey from, ProjectKey to) => _edges.Remove(StorageValidation.Edge(from, to));

        public Contributor CreateContributor(NewContributor contributor)
        {
            var fields = StorageValidation.Normalize(contributor);
            if (fields.Email is { } email && _contributors.Any(c => c.Email == email))
            {
                throw StorageErrors.EmailTaken(email);
            }

            var now = StorageTime.Now(time);
            var created = new Contributor(ids.NewId(), fields.Name, fields.Email, fields.GithubUsername, fields.WalletAddress, fields.Metadata!, now, now);
            _contributors.Add(created);
            ContributorIds.Add(created.Id);
            return created;
        }

        public Asset CreateAsset(NewAsset asset)
        {
            var fields = StorageValidation.Normalize(asset);
            var now = StorageTime.Now(time);
            var created = new Asset(ids.NewId(), fields.Name, fields.Description, fields.AssetType, 0.00m, fields.Metadata!, now, now);
            _assets.Add(created);
            AssetIds.Add(created.Id);
            return created;
        }

        public Contribution CreateContribution(NewContribution contribution)
        {
            var fields = StorageValidation.Normalize(contribution);
            if (_contributors.All(c => c.Id != fields.ContributorId))
            {
                throw StorageErrors.ContributorNotFound(fields.ContributorId);
            }

            if (_assets.All(a => a.Id != fields.AssetId))
            {
                throw StorageErrors.AssetNotFound(fields.AssetId);
            }

            var created = new Contribution(
                ids.NewId(), fields.ContributorId, fields.AssetId, fields.CostAmount, fields.CoherenceScore, fields.Metadata!, StorageTime.Now(time));
            _contributions.Add(created);
            return created;
        }

        public IEnumerable<Project> Projects
            => _projects.Values.OrderBy(p => p.Key, StorageOrdering.ProjectKey).Select(WithCount);

        public IEnumerable<DependencyEdge> Edges => _edges.Order(StorageOrdering.Edge);

        public IEnumerable<Contributor> Contributors => _contributors.OrderBy(c => c.Id, StorageOrdering.Uuid);

        public IEnumerable<Asset> Assets => _assets.OrderBy(a => a.Id, StorageOrdering.Uuid).Select(WithTotal);

        public IEnumerable<Contribution> Contributions => _contributions.OrderBy(c => c.Id, StorageOrdering.Uuid);

        public IEnumerable<Contributor> ContributorsNewestFirst
            => _contributors.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id, StorageOrdering.Uuid);

        public IEnumerable<ProjectKey> DependentsOf(ProjectKey key)
            => _edges.Where(e => e.To == key).Select(e => e.From).Order(StorageOrdering.ProjectKey);

        private Project WithCount(Project project) => project with { DependencyCount = _edges.Count(e => e.From == project.Key) };

        private Asset WithTotal(Asset asset)
            => asset with { TotalCost = _contributions.Where(c => c.AssetId == asset.Id).Aggregate(0.00m, (sum, c) => sum + c.CostAmount) };
    }
}

namespace Storage.DualWrite.Tests;

/// <summary>An <see cref="IGraphStore"/> that passes every call to <see cref="Inner"/> through a <see cref="FaultInjector"/>.</summary>
internal sealed class FaultyGraphStore(IGraphStore inner, FaultInjector faults) : IGraphStore
{
    public IGraphStore Inner { get; } = inner;

    public Task<Project> UpsertProjectAsync(ProjectUpsert project, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.UpsertProjectAsync(project, cancellationToken), cancellationToken);

    public Task<Project?> GetProjectAsync(ProjectKey key, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.GetProjectAsync(key, cancellationToken), cancellationToken);

    public Task<long> CountProjectsAsync(CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.CountProjectsAsync(cancellationToken), cancellationToken);

    public Task<bool> DeleteProjectAsync(ProjectKey key, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.DeleteProjectAsync(key, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Project>> SearchProjectsAsync(ProjectSearch search, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.SearchProjectsAsync(search, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Project>> ListProjectsAsync(ProjectKey? after, int limit, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.ListProjectsAsync(after, limit, cancellationToken), cancellationToken);

    public Task<bool> AddDependencyAsync(ProjectKey project, ProjectKey dependsOn, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.AddDependencyAsync(project, dependsOn, cancellationToken), cancellationToken);

    public Task<bool> RemoveDependencyAsync(ProjectKey project, ProjectKey dependsOn, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.RemoveDependencyAsync(project, dependsOn, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Project>> GetDependenciesAsync(ProjectKey key, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.GetDependenciesAsync(key, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Project>> GetDependentsAsync(ProjectKey key, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.GetDependentsAsync(key, cancellationToken), cancellationToken);

    public Task<int> CountDependentsAsync(ProjectKey key, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.CountDependentsAsync(key, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<TransitiveDependency>> GetTransitiveDependenciesAsync(ProjectKey key, int maxDepth, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.GetTransitiveDependenciesAsync(key, maxDepth, cancellationToken), cancellationToken);

    public Task<Contributor> CreateContributorAsync(NewContributor contributor, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.CreateContributorAsync(contributor, cancellationToken), cancellationToken);

    public Task<Contributor?> GetContributorAsync(Guid id, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.GetContributorAsync(id, cancellationToken), cancellationToken);

    public Task<Contributor?> FindContributorByEmailAsync(string email, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.FindContributorByEmailAsync(email, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Contributor>> ListContributorsAsync(int limit = 50, int offset = 0, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.ListContributorsAsync(limit, offset, cancellationToken), cancellationToken);

    public Task<Asset> CreateAssetAsync(NewAsset asset, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.CreateAssetAsync(asset, cancellationToken), cancellationToken);

    public Task<Asset?> GetAssetAsync(Guid id, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.GetAssetAsync(id, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Asset>> ListAssetsAsync(int limit = 50, int offset = 0, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.ListAssetsAsync(limit, offset, cancellationToken), cancellationToken);

    public Task<Contribution> CreateContributionAsync(NewContribution contribution, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.CreateContributionAsync(contribution, cancellationToken), cancellationToken);

    public Task<Contribution?> GetContributionAsync(Guid id, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.GetContributionAsync(id, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Contribution>> ListContributionsAsync(ContributionQuery query, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.ListContributionsAsync(query, cancellationToken), cancellationToken);

    public IAsyncEnumerable<Project> StreamProjectsAsync(CancellationToken cancellationToken = default) => faults.StreamAsync(() => Inner.StreamProjectsAsync(cancellationToken), cancellationToken);

    public IAsyncEnumerable<DependencyEdge> StreamDependenciesAsync(CancellationToken cancellationToken = default) => faults.StreamAsync(() => Inner.StreamDependenciesAsync(cancellationToken), cancellationToken);

    public IAsyncEnumerable<Contributor> StreamContributorsAsync(CancellationToken cancellationToken = default) => faults.StreamAsync(() => Inner.StreamContributorsAsync(cancellationToken), cancellationToken);

    public IAsyncEnumerable<Asset> StreamAssetsAsync(CancellationToken cancellationToken = default) => faults.StreamAsync(() => Inner.StreamAssetsAsync(cancellationToken), cancellationToken);

    public IAsyncEnumerable<Contribution> StreamContributionsAsync(CancellationToken cancellationToken = default) => faults.StreamAsync(() => Inner.StreamContributionsAsync(cancellationToken), cancellationToken);

    public Task<int> ImportProjectsAsync(IReadOnlyCollection<Project> projects, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.ImportProjectsAsync(projects, cancellationToken), cancellationToken);

    public Task<int> ImportDependenciesAsync(IReadOnlyCollection<DependencyEdge> edges, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.ImportDependenciesAsync(edges, cancellationToken), cancellationToken);

    public Task<int> ImportContributorsAsync(IReadOnlyCollection<Contributor> contributors, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.ImportContributorsAsync(contributors, cancellationToken), cancellationToken);

    public Task<int> ImportAssetsAsync(IReadOnlyCollection<Asset> assets, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.ImportAssetsAsync(assets, cancellationToken), cancellationToken);

    public Task<int> ImportContributionsAsync(IReadOnlyCollection<Contribution> contributions, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.ImportContributionsAsync(contributions, cancellationToken), cancellationToken);
}

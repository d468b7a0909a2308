namespace Storage.Abstractions;

/// <remarks>
/// The bulk members serve backfill, repair, export and snapshots. Streams are in key order and use constant
/// memory in the database backends. Imports write each record exactly as given (id, times, state),
/// validated first; a batch is all-or-nothing and writing the same records twice changes nothing.
/// Derived values (<see cref="Project.DependencyCount"/>, <see cref="Asset.TotalCost"/>) are ignored on
/// import and follow the stored edges and contributions.
/// </remarks>
public partial interface IGraphStore
{
    /// <summary>Every project, ordered by key (ecosystem, then name, in code-point order).</summary>
    IAsyncEnumerable<Project> StreamProjectsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every edge, ordered by <see cref="DependencyEdge.From"/> then <see cref="DependencyEdge.To"/>.</summary>
    IAsyncEnumerable<DependencyEdge> StreamDependenciesAsync(CancellationToken cancellationToken = default);

    /// <summary>Every contributor, ordered by id (in the byte order of the UUID, as PostgreSQL sorts it).</summary>
    IAsyncEnumerable<Contributor> StreamContributorsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every asset, ordered by id.</summary>
    IAsyncEnumerable<Asset> StreamAssetsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every contribution, ordered by id.</summary>
    IAsyncEnumerable<Contribution> StreamContributionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes projects exactly as given; returns the number of records in the batch.</summary>
    Task<int> ImportProjectsAsync(IReadOnlyCollection<Project> projects, CancellationToken cancellationToken = default);

    /// <summary>Adds edges whose two ends exist; existing edges are left as they are. Returns the batch size.</summary>
    Task<int> ImportDependenciesAsync(IReadOnlyCollection<DependencyEdge> edges, CancellationToken cancellationToken = default);

    /// <summary>Writes contributors exactly as given. An email used by another id is a conflict.</summary>
    Task<int> ImportContributorsAsync(IReadOnlyCollection<Contributor> contributors, CancellationToken cancellationToken = default);

    /// <summary>Writes assets exactly as given, except the derived total cost.</summary>
    Task<int> ImportAssetsAsync(IReadOnlyCollection<Asset> assets, CancellationToken cancellationToken = default);

    /// <summary>Writes contributions exactly as given; their contributors and assets must exist. Asset totals follow.</summary>
    Task<int> ImportContributionsAsync(IReadOnlyCollection<Contribution> contributions, CancellationToken cancellationToken = default);
}

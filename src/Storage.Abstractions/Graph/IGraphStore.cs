namespace Storage.Abstractions;

/// <summary>
/// Projects and their dependency edges, contributors, assets and contributions. Every backend passes the
/// same contract suite: fed the same calls, two backends return identical values and throw the same
/// errors. Input is validated by <see cref="StorageValidation"/> before anything is written.
/// Implementations are safe for concurrent use.
/// </summary>
/// <remarks>
/// Errors: <see cref="StorageValidationException"/> for invalid input, <see cref="EntityNotFoundException"/>
/// when a referenced entity is missing, <see cref="StorageConflictException"/> for a conflicting unique value.
/// </remarks>
public partial interface IGraphStore
{
    /// <summary>Creates the project or replaces its fields; its created time is kept, its updated time set.</summary>
    Task<Project> UpsertProjectAsync(ProjectUpsert project, CancellationToken cancellationToken = default);

    /// <summary>The project with this key, or null.</summary>
    Task<Project?> GetProjectAsync(ProjectKey key, CancellationToken cancellationToken = default);

    /// <summary>The number of projects.</summary>
    Task<long> CountProjectsAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the project and every edge from or to it; false when it did not exist.</summary>
    Task<bool> DeleteProjectAsync(ProjectKey key, CancellationToken cancellationToken = default);

    /// <summary>Projects whose name or description contains the text, ignoring case; ordered by key.</summary>
    Task<IReadOnlyList<Project>> SearchProjectsAsync(ProjectSearch search, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of all projects in key order, starting after <paramref name="after"/> (null for the first page).
    /// <paramref name="limit"/> is 1..1000.
    /// </summary>
    Task<IReadOnlyList<Project>> ListProjectsAsync(ProjectKey? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds the edge <paramref name="project"/> depends on <paramref name="dependsOn"/>; both must exist and differ.
    /// Returns false when the edge already existed (adding twice is a no-op).
    /// </summary>
    Task<bool> AddDependencyAsync(ProjectKey project, ProjectKey dependsOn, CancellationToken cancellationToken = default);

    /// <summary>Removes the edge; false when it did not exist.</summary>
    Task<bool> RemoveDependencyAsync(ProjectKey project, ProjectKey dependsOn, CancellationToken cancellationToken = default);

    /// <summary>The projects <paramref name="key"/> depends on directly, in key order. Throws not-found for a missing project.</summary>
    Task<IReadOnlyList<Project>> GetDependenciesAsync(ProjectKey key, CancellationToken cancellationToken = default);

    /// <summary>The projects that depend on <paramref name="key"/> directly, in key order. Throws not-found for a missing project.</summary>
    Task<IReadOnlyList<Project>> GetDependentsAsync(ProjectKey key, CancellationToken cancellationToken = default);

    /// <summary>The number of projects that depend on <paramref name="key"/> directly. Throws not-found for a missing project.</summary>
    Task<int> CountDependentsAsync(ProjectKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every project reachable from <paramref name="key"/> in 1..<paramref name="maxDepth"/> steps (maxDepth 1..20),
    /// each once at its shortest depth, ordered by depth then key. Cycles terminate; the start project is never included.
    /// </summary>
    Task<IReadOnlyList<TransitiveDependency>> GetTransitiveDependenciesAsync(ProjectKey key, int maxDepth, CancellationToken cancellationToken = default);
}

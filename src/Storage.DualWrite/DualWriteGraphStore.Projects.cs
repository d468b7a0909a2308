namespace Storage.DualWrite;

public sealed partial class DualWriteGraphStore
{
    /// <inheritdoc/>
    public Task<Project> UpsertProjectAsync(ProjectUpsert project, CancellationToken cancellationToken = default)
    {
        if (project is null || !DualWriteKeys.TryProject(new ProjectKey(project.Ecosystem, project.Name), out var key))
        {
            return Authoritative.UpsertProjectAsync(project!, cancellationToken);
        }

        return _coordinator.WriteAsync(
            _stores,
            this,
            "UpsertProject",
            locks: [key],
            known: [key],
            watch: None,
            write: (store, token) => store.UpsertProjectAsync(project, token),
            affected: _ => [key],
            lockAfter: null,
            mirror: static (store, result, token) => store.ImportProjectsAsync([result], token),
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Project?> GetProjectAsync(ProjectKey key, CancellationToken cancellationToken = default)
        => Keyed("GetProject", key, DualWriteKeys.TryProject, static (store, k, token) => store.GetProjectAsync(k, token), cancellationToken);

    /// <inheritdoc/>
    public Task<long> CountProjectsAsync(CancellationToken cancellationToken = default)
        => Keyless("CountProjects", 0, static (store, _, token) => store.CountProjectsAsync(token), cancellationToken);

    /// <inheritdoc/>
    public Task<bool> DeleteProjectAsync(ProjectKey key, CancellationToken cancellationToken = default)
    {
        if (!DualWriteKeys.TryProject(key, out var entity))
        {
            return Authoritative.DeleteProjectAsync(key, cancellationToken);
        }

        return _coordinator.WriteAsync(
            _stores,
            this,
            "DeleteProject",
            locks: [entity],
            known: [entity],
            watch: None,
            write: (store, token) => store.DeleteProjectAsync(key, token),
            affected: _ => [entity],
            lockAfter: null,
            mirror: (store, _, token) => store.DeleteProjectAsync(key, token),
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Project>> SearchProjectsAsync(ProjectSearch search, CancellationToken cancellationToken = default)
        => Keyless("SearchProjects", search, static (store, s, token) => store.SearchProjectsAsync(s, token), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Project>> ListProjectsAsync(ProjectKey? after, int limit, CancellationToken cancellationToken = default)
        => Keyless("ListProjects", (after, limit), static (store, a, token) => store.ListProjectsAsync(a.after, a.limit, token), cancellationToken);
}

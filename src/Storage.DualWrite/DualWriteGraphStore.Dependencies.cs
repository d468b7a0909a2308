namespace Storage.DualWrite;

public sealed partial class DualWriteGraphStore
{
    /// <inheritdoc/>
    public Task<bool> AddDependencyAsync(ProjectKey project, ProjectKey dependsOn, CancellationToken cancellationToken = default)
        => WriteEdgeAsync(project, dependsOn, "AddDependency", static (store, edge, token) => store.AddDependencyAsync(edge.From, edge.To, token), cancellationToken);

    /// <inheritdoc/>
    public Task<bool> RemoveDependencyAsync(ProjectKey project, ProjectKey dependsOn, CancellationToken cancellationToken = default)
        => WriteEdgeAsync(project, dependsOn, "RemoveDependency", static (store, edge, token) => store.RemoveDependencyAsync(edge.From, edge.To, token), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Project>> GetDependenciesAsync(ProjectKey key, CancellationToken cancellationToken = default)
        => Keyless("GetDependencies", key, static (store, k, token) => store.GetDependenciesAsync(k, token), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Project>> GetDependentsAsync(ProjectKey key, CancellationToken cancellationToken = default)
        => Keyless("GetDependents", key, static (store, k, token) => store.GetDependentsAsync(k, token), cancellationToken);

    /// <inheritdoc/>
    public Task<int> CountDependentsAsync(ProjectKey key, CancellationToken cancellationToken = default)
        => Keyless("CountDependents", key, static (store, k, token) => store.CountDependentsAsync(k, token), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<TransitiveDependency>> GetTransitiveDependenciesAsync(ProjectKey key, int maxDepth, CancellationToken cancellationToken = default)
        => Keyless(
            "GetTransitiveDependencies",
            (key, maxDepth),
            static (store, a, token) => store.GetTransitiveDependenciesAsync(a.key, a.maxDepth, token),
            cancellationToken);

    /// <summary>Adds or removes an edge under the locks of both its projects; the other backend gets the same (idempotent) operation.</summary>
    private Task<bool> WriteEdgeAsync(
        ProjectKey project,
        ProjectKey dependsOn,
        string operation,
        Func<IGraphStore, DependencyEdge, CancellationToken, Task<bool>> apply,
        CancellationToken cancellationToken)
    {
        if (!DualWriteKeys.TryEdge(project, dependsOn, out var edge))
        {
            return apply(Authoritative, new DependencyEdge(project, dependsOn), cancellationToken);
        }

        var from = EntityKey.Project(edge.From);
        var to = EntityKey.Project(edge.To);
        var key = EntityKey.Dependency(edge);
        return _coordinator.WriteAsync(
            _stores,
            this,
            operation,
            locks: [from, to],
            known: [key],
            watch: [from, to],
            write: (store, token) => apply(store, edge, token),
            affected: _ => [key],
            lockAfter: null,
            mirror: (store, _, token) => apply(store, edge, token),
            cancellationToken);
    }
}

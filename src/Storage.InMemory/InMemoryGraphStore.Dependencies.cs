using Storage.Abstractions;

namespace Storage.InMemory;

public sealed partial class InMemoryGraphStore
{
    /// <inheritdoc/>
    public Task<bool> AddDependencyAsync(ProjectKey project, ProjectKey dependsOn, CancellationToken cancellationToken = default) => Completed.Run(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var edge = StorageValidation.Edge(project, dependsOn);
        lock (_lock)
        {
            _state.Require(edge.From);
            _state.Require(edge.To);
            return _state.AddEdge(edge);
        }
    });

    /// <inheritdoc/>
    public Task<bool> RemoveDependencyAsync(ProjectKey project, ProjectKey dependsOn, CancellationToken cancellationToken = default) => Completed.Run(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var edge = StorageValidation.Edge(project, dependsOn);
        lock (_lock)
        {
            if (!_state.Projects.TryGetValue(edge.From, out var from) || !from.Outgoing.Remove(edge.To))
            {
                return false;
            }

            _state.Projects[edge.To].Incoming.Remove(edge.From);
            return true;
        }
    });

    /// <inheritdoc/>
    public Task<IReadOnlyList<Project>> GetDependenciesAsync(
        ProjectKey key, CancellationToken cancellationToken = default) => Completed.Run<IReadOnlyList<Project>>(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var normalized = StorageValidation.Key(key);
        lock (_lock)
        {
            return ReadAll(_state.Require(normalized).Outgoing);
        }
    });

    /// <inheritdoc/>
    public Task<IReadOnlyList<Project>> GetDependentsAsync(
        ProjectKey key, CancellationToken cancellationToken = default) => Completed.Run<IReadOnlyList<Project>>(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var normalized = StorageValidation.Key(key);
        lock (_lock)
        {
            return ReadAll(_state.Require(normalized).Incoming);
        }
    });

    /// <inheritdoc/>
    public Task<int> CountDependentsAsync(ProjectKey key, CancellationToken cancellationToken = default) => Completed.Run(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var normalized = StorageValidation.Key(key);
        lock (_lock)
        {
            return _state.Require(normalized).Incoming.Count;
        }
    });

    /// <inheritdoc/>
    public Task<IReadOnlyList<TransitiveDependency>> GetTransitiveDependenciesAsync(
        ProjectKey key, int maxDepth, CancellationToken cancellationToken = default) => Completed.Run(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var start = StorageValidation.Key(key);
        var depthLimit = StorageValidation.MaxDepth(maxDepth);
        var found = new List<TransitiveDependency>();
        lock (_lock)
        {
            _state.Require(start);
            var visited = new HashSet<ProjectKey> { start };
            var frontier = new List<ProjectKey> { start };
            for (var depth = 1; depth <= depthLimit && frontier.Count > 0; depth++)
            {
                var next = new List<ProjectKey>();
                foreach (var from in frontier)
                {
                    foreach (var to in _state.Projects[from].Outgoing)
                    {
                        if (visited.Add(to))
                        {
                            next.Add(to);
                        }
                    }
                }

                next.Sort(StorageOrdering.ProjectKey);
                found.AddRange(next.Select(k => new TransitiveDependency(k, depth)));
                frontier = next;
            }
        }

        return (IReadOnlyList<TransitiveDependency>)found.ToArray();
    });

    /// <summary>The projects with the given keys, in the set's (key) order. Call under the lock.</summary>
    private Project[] ReadAll(SortedSet<ProjectKey> keys)
    {
        var projects = new Project[keys.Count];
        var i = 0;
        foreach (var key in keys)
        {
            projects[i++] = _state.Read(key);
        }

        return projects;
    }
}

using Storage.Abstractions;

namespace Storage.InMemory;

public sealed partial class InMemoryGraphStore
{
    /// <inheritdoc/>
    public Task<Project> UpsertProjectAsync(ProjectUpsert project, CancellationToken cancellationToken = default) => Completed.Run(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fields = StorageValidation.Normalize(project);
        var key = new ProjectKey(fields.Ecosystem, fields.Name);
        lock (_lock)
        {
            var now = Now();
            var created = _state.Projects.TryGetValue(key, out var existing) ? existing.Project.CreatedAt : now;
            _state.Put(new Project(
                fields.Ecosystem,
                fields.Name,
                fields.Version,
                fields.Description,
                fields.HomepageUrl,
                fields.RepositoryUrl,
                DependencyCount: 0,
                created,
                now));
            return _state.Read(key);
        }
    });

    /// <inheritdoc/>
    public Task<Project?> GetProjectAsync(ProjectKey key, CancellationToken cancellationToken = default) => Completed.Run<Project?>(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var normalized = StorageValidation.Key(key);
        lock (_lock)
        {
            return _state.Projects.TryGetValue(normalized, out var node) ? node.Read() : null;
        }
    });

    /// <inheritdoc/>
    public Task<long> CountProjectsAsync(CancellationToken cancellationToken = default) => Completed.Run(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return (long)_state.Projects.Count;
        }
    });

    /// <inheritdoc/>
    public Task<bool> DeleteProjectAsync(ProjectKey key, CancellationToken cancellationToken = default) => Completed.Run(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var normalized = StorageValidation.Key(key);
        lock (_lock)
        {
            if (!_state.Projects.Remove(normalized, out var node))
            {
                return false;
            }

            _state.ProjectKeys.Remove(normalized);
            foreach (var to in node.Outgoing)
            {
                _state.Projects[to].Incoming.Remove(normalized);
            }

            foreach (var from in node.Incoming)
            {
                _state.Projects[from].Outgoing.Remove(normalized);
            }

            return true;
        }
    });

    /// <inheritdoc/>
    public Task<IReadOnlyList<Project>> SearchProjectsAsync(ProjectSearch search, CancellationToken cancellationToken = default) => Completed.Run(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var query = StorageValidation.Normalize(search);
        var folded = query.Text;
        var results = new List<Project>(Math.Min(query.Limit, 16));
        lock (_lock)
        {
            foreach (var key in _state.ProjectKeys)
            {
                var node = _state.Projects[key];
                if (StorageText.FoldedContains(node.Project.Name, folded) || StorageText.FoldedContains(node.Project.Description, folded))
                {
                    results.Add(node.Read());
                    if (results.Count == query.Limit)
                    {
                        break;
                    }
                }
            }
        }

        return (IReadOnlyList<Project>)results.ToArray();
    });

    /// <inheritdoc/>
    public Task<IReadOnlyList<Project>> ListProjectsAsync(ProjectKey? after, int limit, CancellationToken cancellationToken = default) => Completed.Run(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        ProjectKey? start = after is { } a ? StorageValidation.Key(a) : null;
        var size = StorageValidation.Limit(limit, StorageLimits.MaxKeyPage);
        var page = new List<Project>(Math.Min(size, 64));
        lock (_lock)
        {
            var keys = _state.ProjectKeys;
            IEnumerable<ProjectKey> candidates = keys;
            if (start is { } s)
            {
                candidates = keys.Count == 0 || StorageOrdering.CompareKey(s, keys.Max) >= 0
                    ? []
                    : keys.GetViewBetween(s, keys.Max).Where(k => k != s);
            }

            foreach (var key in candidates)
            {
                page.Add(_state.Read(key));
                if (page.Count == size)
                {
                    break;
                }
            }
        }

        return (IReadOnlyList<Project>)page.ToArray();
    });
}

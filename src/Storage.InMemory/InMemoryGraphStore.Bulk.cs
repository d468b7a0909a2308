using System.Runtime.CompilerServices;
using Storage.Abstractions;

namespace Storage.InMemory;

public sealed partial class InMemoryGraphStore
{
    /// <inheritdoc/>
    public IAsyncEnumerable<Project> StreamProjectsAsync(CancellationToken cancellationToken = default)
        => Stream(state => state.ProjectKeys.Select(state.Read).ToArray(), cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<DependencyEdge> StreamDependenciesAsync(CancellationToken cancellationToken = default)
        => Stream(
            state => state.ProjectKeys.SelectMany(from => state.Projects[from].Outgoing.Select(to => new DependencyEdge(from, to))).ToArray(),
            cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<Contributor> StreamContributorsAsync(CancellationToken cancellationToken = default)
        => Stream(state => ById(state.Contributors), cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<Asset> StreamAssetsAsync(CancellationToken cancellationToken = default)
        => Stream(state => ById(state.Assets), cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<Contribution> StreamContributionsAsync(CancellationToken cancellationToken = default)
        => Stream(state => ById(state.Contributions), cancellationToken);

    /// <inheritdoc/>
    public Task<int> ImportProjectsAsync(IReadOnlyCollection<Project> projects, CancellationToken cancellationToken = default) => Completed.Run(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var batch = StorageValidation.Batch(projects, StorageValidation.Normalize, p => p.Key);
        lock (_lock)
        {
            foreach (var project in batch)
            {
                _state.Put(project);
            }
        }

        return batch.Count;
    });

    /// <inheritdoc/>
    public Task<int> ImportDependenciesAsync(IReadOnlyCollection<DependencyEdge> edges, CancellationToken cancellationToken = default) => Completed.Run(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var batch = StorageValidation.Batch(edges, e => StorageValidation.Edge(e.From, e.To), e => e);
        lock (_lock)
        {
            foreach (var edge in batch)
            {
                _state.Require(edge.From);
                _state.Require(edge.To);
            }

            foreach (var edge in batch)
            {
                _state.AddEdge(edge);
            }
        }

        return batch.Count;
    });

    /// <inheritdoc/>
    public Task<int> ImportContributorsAsync(
        IReadOnlyCollection<Contributor> contributors, CancellationToken cancellationToken = default) => Completed.Run(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var batch = StorageValidation.Batch(contributors, StorageValidation.Normalize, c => c.Id);
        lock (_lock)
        {
            var emails = new Dictionary<string, Guid>(StringComparer.Ordinal);
            foreach (var contributor in batch)
            {
                if (contributor.Email is not { } email)
                {
                    continue;
                }

                var takenByStored = _state.ContributorIdsByEmail.TryGetValue(email, out var owner) && owner != contributor.Id;
                if (takenByStored || !emails.TryAdd(email, contributor.Id))
                {
                    throw StorageErrors.EmailTaken(email);
                }
            }

            foreach (var contributor in batch)
            {
                _state.Put(contributor);
            }
        }

        return batch.Count;
    });

    /// <inheritdoc/>
    public Task<int> ImportAssetsAsync(IReadOnlyCollection<Asset> assets, CancellationToken cancellationToken = default) => Completed.Run(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var batch = StorageValidation.Batch(assets, StorageValidation.Normalize, a => a.Id);
        lock (_lock)
        {
            foreach (var asset in batch)
            {
                _state.Put(asset);
            }
        }

        return batch.Count;
    });

    /// <inheritdoc/>
    public Task<int> ImportContributionsAsync(
        IReadOnlyCollection<Contribution> contributions, CancellationToken cancellationToken = default) => Completed.Run(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var batch = StorageValidation.Batch(contributions, StorageValidation.Normalize, c => c.Id);
        lock (_lock)
        {
            foreach (var contribution in batch)
            {
                RequireLedgerReferences(contribution.ContributorId, contribution.AssetId);
            }

            foreach (var contribution in batch)
            {
                _state.Put(contribution);
            }
        }

        return batch.Count;
    });

    private static T[] ById<T>(Dictionary<Guid, T> records)
        => records.OrderBy(pair => pair.Key, StorageOrdering.Uuid).Select(pair => pair.Value).ToArray();

    /// <summary>Copies the items under the lock when enumeration starts, then yields them outside it.</summary>
    private async IAsyncEnumerable<T> Stream<T>(Func<GraphState, T[]> snapshot, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        T[] items;
        lock (_lock)
        {
            items = snapshot(_state);
        }

        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }
    }
}

using Storage.Abstractions;

namespace Storage.InMemory;

public sealed partial class InMemoryGraphStore
{
    /// <inheritdoc/>
    public Task<Contributor> CreateContributorAsync(NewContributor contributor, CancellationToken cancellationToken = default) => Completed.Run(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fields = StorageValidation.Normalize(contributor);
        lock (_lock)
        {
            if (fields.Email is { } email && _state.ContributorIdsByEmail.ContainsKey(email))
            {
                throw StorageErrors.EmailTaken(email);
            }

            var now = Now();
            var created = new Contributor(
                _idGenerator.NewId(), fields.Name, fields.Email, fields.GithubUsername, fields.WalletAddress, fields.Metadata!, now, now);
            _state.Put(created);
            return created;
        }
    });

    /// <inheritdoc/>
    public Task<Contributor?> GetContributorAsync(Guid id, CancellationToken cancellationToken = default) => Completed.Run<Contributor?>(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return _state.Contributors.GetValueOrDefault(id);
        }
    });

    /// <inheritdoc/>
    public Task<Contributor?> FindContributorByEmailAsync(string email, CancellationToken cancellationToken = default) => Completed.Run<Contributor?>(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var normalized = StorageValidation.Email(email);
        lock (_lock)
        {
            return _state.ContributorIdsByEmail.TryGetValue(normalized, out var id) ? _state.Contributors[id] : null;
        }
    });

    /// <inheritdoc/>
    public Task<IReadOnlyList<Contributor>> ListContributorsAsync(
        int limit = 50, int offset = 0, CancellationToken cancellationToken = default) => Completed.Run<IReadOnlyList<Contributor>>(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var size = StorageValidation.Limit(limit);
        var skip = StorageValidation.Offset(offset);
        lock (_lock)
        {
            return Page(_state.ContributorOrder, skip, size, _state.Contributors);
        }
    });

    /// <inheritdoc/>
    public Task<Asset> CreateAssetAsync(NewAsset asset, CancellationToken cancellationToken = default) => Completed.Run(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fields = StorageValidation.Normalize(asset);
        lock (_lock)
        {
            var now = Now();
            var created = new Asset(_idGenerator.NewId(), fields.Name, fields.Description, fields.AssetType, 0.00m, fields.Metadata!, now, now);
            _state.Put(created);
            return _state.Assets[created.Id];
        }
    });

    /// <inheritdoc/>
    public Task<Asset?> GetAssetAsync(Guid id, CancellationToken cancellationToken = default) => Completed.Run<Asset?>(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return _state.Assets.GetValueOrDefault(id);
        }
    });

    /// <inheritdoc/>
    public Task<IReadOnlyList<Asset>> ListAssetsAsync(
        int limit = 50, int offset = 0, CancellationToken cancellationToken = default) => Completed.Run<IReadOnlyList<Asset>>(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var size = StorageValidation.Limit(limit);
        var skip = StorageValidation.Offset(offset);
        lock (_lock)
        {
            return Page(_state.AssetOrder, skip, size, _state.Assets);
        }
    });

    /// <inheritdoc/>
    public Task<Contribution> CreateContributionAsync(NewContribution contribution, CancellationToken cancellationToken = default) => Completed.Run(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fields = StorageValidation.Normalize(contribution);
        lock (_lock)
        {
            RequireLedgerReferences(fields.ContributorId, fields.AssetId);
            var created = new Contribution(
                _idGenerator.NewId(), fields.ContributorId, fields.AssetId, fields.CostAmount, fields.CoherenceScore, fields.Metadata!, Now());
            _state.Put(created);
            return created;
        }
    });

    /// <inheritdoc/>
    public Task<Contribution?> GetContributionAsync(Guid id, CancellationToken cancellationToken = default) => Completed.Run<Contribution?>(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return _state.Contributions.GetValueOrDefault(id);
        }
    });

    /// <inheritdoc/>
    public Task<IReadOnlyList<Contribution>> ListContributionsAsync(
        ContributionQuery query, CancellationToken cancellationToken = default) => Completed.Run<IReadOnlyList<Contribution>>(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var valid = StorageValidation.Normalize(query);
        lock (_lock)
        {
            IEnumerable<NewestKey> order = (valid.AssetId, valid.ContributorId) switch
            {
                ({ } asset, _) => _state.ContributionsByAsset.GetValueOrDefault(asset) ?? [],
                (null, { } contributor) => _state.ContributionsByContributor.GetValueOrDefault(contributor) ?? [],
                _ => _state.ContributionOrder,
            };
            if (valid is { AssetId: not null, ContributorId: { } both })
            {
                order = order.Where(key => _state.Contributions[key.Id].ContributorId == both);
            }

            return Page(order, valid.Offset, valid.Limit, _state.Contributions);
        }
    });

    /// <summary>Throws not-found for a missing contributor, then for a missing asset. Call under the lock.</summary>
    private void RequireLedgerReferences(Guid contributorId, Guid assetId)
    {
        if (!_state.Contributors.ContainsKey(contributorId))
        {
            throw StorageErrors.ContributorNotFound(contributorId);
        }

        if (!_state.Assets.ContainsKey(assetId))
        {
            throw StorageErrors.AssetNotFound(assetId);
        }
    }

    private static T[] Page<T>(IEnumerable<NewestKey> order, int offset, int limit, Dictionary<Guid, T> records)
        => order.Skip(offset).Take(limit).Select(key => records[key.Id]).ToArray();
}

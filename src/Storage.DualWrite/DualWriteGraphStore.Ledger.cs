namespace Storage.DualWrite;

public sealed partial class DualWriteGraphStore
{
    /// <inheritdoc/>
    /// <remarks>Locks the email: creates with one email are serialized, and a contributor with it that only the other backend has yet is copied first.</remarks>
    public Task<Contributor> CreateContributorAsync(NewContributor contributor, CancellationToken cancellationToken = default)
    {
        EntityKey[] email = contributor is { Email: { } address } && !string.IsNullOrWhiteSpace(address) && DualWriteKeys.TryEmail(address, out var key) ? [key] : None;
        return _coordinator.WriteAsync(
            _stores,
            this,
            "CreateContributor",
            locks: email,
            known: email,
            watch: None,
            write: (store, token) => store.CreateContributorAsync(contributor, token),
            affected: static created => KeysOf(created),
            lockAfter: static created => EntityKey.Contributor(created.Id),
            mirror: static (store, created, token) => store.ImportContributorsAsync([created], token),
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Contributor?> GetContributorAsync(Guid id, CancellationToken cancellationToken = default)
        => Keyed("GetContributor", id, DualWriteKeys.TryContributor, static (store, i, token) => store.GetContributorAsync(i, token), cancellationToken);

    /// <inheritdoc/>
    public Task<Contributor?> FindContributorByEmailAsync(string email, CancellationToken cancellationToken = default)
        => Keyed("FindContributorByEmail", email, DualWriteKeys.TryEmail, static (store, e, token) => store.FindContributorByEmailAsync(e, token), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Contributor>> ListContributorsAsync(int limit = 50, int offset = 0, CancellationToken cancellationToken = default)
        => Keyless("ListContributors", (limit, offset), static (store, a, token) => store.ListContributorsAsync(a.limit, a.offset, token), cancellationToken);

    /// <inheritdoc/>
    public Task<Asset> CreateAssetAsync(NewAsset asset, CancellationToken cancellationToken = default)
        => _coordinator.WriteAsync(
            _stores,
            this,
            "CreateAsset",
            locks: None,
            known: None,
            watch: None,
            write: (store, token) => store.CreateAssetAsync(asset, token),
            affected: static created => [EntityKey.Asset(created.Id)],
            lockAfter: static created => EntityKey.Asset(created.Id),
            mirror: static (store, created, token) => store.ImportAssetsAsync([created], token),
            cancellationToken);

    /// <inheritdoc/>
    public Task<Asset?> GetAssetAsync(Guid id, CancellationToken cancellationToken = default)
        => Keyed("GetAsset", id, DualWriteKeys.TryAsset, static (store, i, token) => store.GetAssetAsync(i, token), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Asset>> ListAssetsAsync(int limit = 50, int offset = 0, CancellationToken cancellationToken = default)
        => Keyless("ListAssets", (limit, offset), static (store, a, token) => store.ListAssetsAsync(a.limit, a.offset, token), cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Locks the asset: a contribution changes its asset's total, so contributions to one asset are serialized.</remarks>
    public Task<Contribution> CreateContributionAsync(NewContribution contribution, CancellationToken cancellationToken = default)
    {
        if (contribution is null)
        {
            return Authoritative.CreateContributionAsync(contribution!, cancellationToken);
        }

        var asset = EntityKey.Asset(contribution.AssetId);
        return _coordinator.WriteAsync(
            _stores,
            this,
            "CreateContribution",
            locks: [asset],
            known: [asset],
            watch: [EntityKey.Contributor(contribution.ContributorId)],
            write: (store, token) => store.CreateContributionAsync(contribution, token),
            affected: static created => [EntityKey.Contribution(created.Id), EntityKey.Asset(created.AssetId)],
            lockAfter: null,
            mirror: static (store, created, token) => store.ImportContributionsAsync([created], token),
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Contribution?> GetContributionAsync(Guid id, CancellationToken cancellationToken = default)
        => Keyed("GetContribution", id, DualWriteKeys.TryContribution, static (store, i, token) => store.GetContributionAsync(i, token), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Contribution>> ListContributionsAsync(ContributionQuery query, CancellationToken cancellationToken = default)
        => Keyless("ListContributions", query, static (store, q, token) => store.ListContributionsAsync(q, token), cancellationToken);

    /// <summary>The keys a stored contributor is found by: its id, and its email when it has one.</summary>
    private static EntityKey[] KeysOf(Contributor contributor)
        => contributor.Email is { } email
            ? [EntityKey.Contributor(contributor.Id), EntityKey.ContributorEmail(email)]
            : [EntityKey.Contributor(contributor.Id)];
}

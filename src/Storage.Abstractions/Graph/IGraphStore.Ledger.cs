namespace Storage.Abstractions;

public partial interface IGraphStore
{
    /// <summary>Creates a contributor. A normalized email already used by another contributor is a conflict.</summary>
    Task<Contributor> CreateContributorAsync(NewContributor contributor, CancellationToken cancellationToken = default);

    /// <summary>The contributor with this id, or null.</summary>
    Task<Contributor?> GetContributorAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>The contributor with this email (normalized before the look-up), or null.</summary>
    Task<Contributor?> FindContributorByEmailAsync(string email, CancellationToken cancellationToken = default);

    /// <summary>Contributors newest first (created time descending, then id descending); limit 1..100, offset at least 0.</summary>
    Task<IReadOnlyList<Contributor>> ListContributorsAsync(int limit = 50, int offset = 0, CancellationToken cancellationToken = default);

    /// <summary>Creates an asset with a total cost of zero.</summary>
    Task<Asset> CreateAssetAsync(NewAsset asset, CancellationToken cancellationToken = default);

    /// <summary>The asset with this id, or null.</summary>
    Task<Asset?> GetAssetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Assets newest first (created time descending, then id descending); limit 1..100, offset at least 0.</summary>
    Task<IReadOnlyList<Asset>> ListAssetsAsync(int limit = 50, int offset = 0, CancellationToken cancellationToken = default);

    /// <summary>Records a contribution and adds its cost to the asset's total. Throws not-found for a missing contributor or asset.</summary>
    Task<Contribution> CreateContributionAsync(NewContribution contribution, CancellationToken cancellationToken = default);

    /// <summary>The contribution with this id, or null.</summary>
    Task<Contribution?> GetContributionAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Contributions matching the query, newest first.</summary>
    Task<IReadOnlyList<Contribution>> ListContributionsAsync(ContributionQuery query, CancellationToken cancellationToken = default);
}

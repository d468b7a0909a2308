namespace Storage.Postgres;

public sealed partial class PostgresGraphStore
{
    private const string EmailTakenSql = "SELECT EXISTS (SELECT 1 FROM contributors WHERE email = @Email)";

    private const string InsertContributorSql = """
        INSERT INTO contributors (id, name, email, github_username, wallet_address, metadata, created_at, updated_at)
        VALUES (@Id, @Name, @Email, @GithubUsername, @WalletAddress, CAST(@Metadata AS json), @Now, @Now)
        ON CONFLICT (email) DO NOTHING
        """;

    private const string GetContributorSql = $"SELECT {GraphRows.Contributor} FROM contributors WHERE id = @Id";

    private const string FindContributorSql = $"SELECT {GraphRows.Contributor} FROM contributors WHERE email = @Email";

    private const string ListContributorsSql = $"""
        SELECT {GraphRows.Contributor} FROM contributors ORDER BY created_at DESC, id DESC LIMIT @Limit OFFSET @Offset
        """;

    private const string InsertAssetSql = """
        INSERT INTO assets (id, name, description, asset_type, total_cost, metadata, created_at, updated_at)
        VALUES (@Id, @Name, @Description, CAST(@AssetType AS asset_type), 0.00, CAST(@Metadata AS json), @Now, @Now)
        """;

    private const string GetAssetSql = $"SELECT {GraphRows.Asset} FROM assets WHERE id = @Id";

    private const string ListAssetsSql = $"""
        SELECT {GraphRows.Asset} FROM assets ORDER BY created_at DESC, id DESC LIMIT @Limit OFFSET @Offset
        """;

    private const string LedgerReferencesSql = """
        SELECT EXISTS (SELECT 1 FROM contributors WHERE id = @ContributorId), EXISTS (SELECT 1 FROM assets WHERE id = @AssetId)
        """;

    // Inserted only when both references still exist (key-share locked until commit); the flags report a
    // reference removed since the check before it.
    private const string InsertContributionSql = """
        WITH c AS (SELECT 1 FROM contributors WHERE id = @ContributorId FOR KEY SHARE),
             a AS (SELECT 1 FROM assets WHERE id = @AssetId FOR KEY SHARE),
             added AS (
                INSERT INTO contributions (id, contributor_id, asset_id, cost_amount, coherence_score, metadata, created_at)
                SELECT @Id, @ContributorId, @AssetId, @CostAmount, @CoherenceScore, CAST(@Metadata AS json), @Now
                WHERE EXISTS (SELECT 1 FROM c) AND EXISTS (SELECT 1 FROM a)
                RETURNING 1)
        SELECT EXISTS (SELECT 1 FROM c), EXISTS (SELECT 1 FROM a)
        """;

    private const string GetContributionSql = $"SELECT {GraphRows.Contribution} FROM contributions WHERE id = @Id";

    private const string ListContributionsSql = $"""
        SELECT {GraphRows.Contribution} FROM contributions
        ORDER BY created_at DESC, id DESC LIMIT @Limit OFFSET @Offset
        """;

    private const string ListContributionsByAssetSql = $"""
        SELECT {GraphRows.Contribution} FROM contributions WHERE asset_id = @AssetId
        ORDER BY created_at DESC, id DESC LIMIT @Limit OFFSET @Offset
        """;

    private const string ListContributionsByContributorSql = $"""
        SELECT {GraphRows.Contribution} FROM contributions WHERE contributor_id = @ContributorId
        ORDER BY created_at DESC, id DESC LIMIT @Limit OFFSET @Offset
        """;

    private const string ListContributionsByBothSql = $"""
        SELECT {GraphRows.Contribution} FROM contributions WHERE asset_id = @AssetId AND contributor_id = @ContributorId
        ORDER BY created_at DESC, id DESC LIMIT @Limit OFFSET @Offset
        """;

    /// <inheritdoc/>
    public async Task<Contributor> CreateContributorAsync(NewContributor contributor, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fields = StorageValidation.Normalize(contributor);
        if (fields.Email is { } email && await _executor.ScalarAsync<bool>(EmailTakenSql, new { Email = email }, cancellationToken))
        {
            throw StorageErrors.EmailTaken(email);
        }

        // Clock, then id: the order the in-memory store reads them in (a time-based id generator may share the clock).
        var now = Now();
        var created = new Contributor(
            _idGenerator.NewId(), fields.Name, fields.Email, fields.GithubUsername, fields.WalletAddress, fields.Metadata!, now, now);
        var parameters = new
        {
            created.Id,
            created.Name,
            created.Email,
            created.GithubUsername,
            created.WalletAddress,
            Metadata = created.Metadata.Json,
            Now = now,
        };
        return await _executor.ExecuteOnceAsync(InsertContributorSql, parameters, cancellationToken) == 1
            ? created
            : throw StorageErrors.EmailTaken(created.Email!);
    }

    /// <inheritdoc/>
    public Task<Contributor?> GetContributorAsync(Guid id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _executor.FirstOrNullAsync(GetContributorSql, new { Id = id }, GraphRows.ReadContributor, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Contributor?> FindContributorByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var normalized = StorageValidation.Email(email);
        return _executor.FirstOrNullAsync(FindContributorSql, new { Email = normalized }, GraphRows.ReadContributor, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Contributor>> ListContributorsAsync(int limit = 50, int offset = 0, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var parameters = new { Limit = StorageValidation.Limit(limit), Offset = StorageValidation.Offset(offset) };
        return await _executor.ListAsync(ListContributorsSql, parameters, GraphRows.ReadContributor, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<Asset> CreateAssetAsync(NewAsset asset, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fields = StorageValidation.Normalize(asset);
        var now = Now();
        var created = new Asset(_idGenerator.NewId(), fields.Name, fields.Description, fields.AssetType, 0.00m, fields.Metadata!, now, now);
        var parameters = new
        {
            created.Id,
            created.Name,
            created.Description,
            AssetType = StorageNames.Of(created.AssetType),
            Metadata = created.Metadata.Json,
            Now = now,
        };
        await _executor.ExecuteOnceAsync(InsertAssetSql, parameters, cancellationToken);
        return created;
    }

    /// <inheritdoc/>
    public Task<Asset?> GetAssetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _executor.FirstOrNullAsync(GetAssetSql, new { Id = id }, GraphRows.ReadAsset, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Asset>> ListAssetsAsync(int limit = 50, int offset = 0, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var parameters = new { Limit = StorageValidation.Limit(limit), Offset = StorageValidation.Offset(offset) };
        return await _executor.ListAsync(ListAssetsSql, parameters, GraphRows.ReadAsset, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<Contribution> CreateContributionAsync(NewContribution contribution, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fields = StorageValidation.Normalize(contribution);
        var references = new { fields.ContributorId, fields.AssetId };
        var found = await _executor.ListAsync(LedgerReferencesSql, references, r => (r.GetBoolean(0), r.GetBoolean(1)), cancellationToken);
        RequireLedgerReferences(fields.ContributorId, fields.AssetId, found[0]);

        // Id, then clock: the order the in-memory store reads them in.
        var id = _idGenerator.NewId();
        var created = new Contribution(id, fields.ContributorId, fields.AssetId, fields.CostAmount, fields.CoherenceScore, fields.Metadata!, Now());
        var parameters = new
        {
            created.Id,
            created.ContributorId,
            created.AssetId,
            created.CostAmount,
            created.CoherenceScore,
            Metadata = created.Metadata.Json,
            Now = created.CreatedAt,
        };
        var stillFound = await _executor.ListOnceAsync(InsertContributionSql, parameters, r => (r.GetBoolean(0), r.GetBoolean(1)), cancellationToken);
        RequireLedgerReferences(fields.ContributorId, fields.AssetId, stillFound[0]);
        return created;
    }

    /// <inheritdoc/>
    public Task<Contribution?> GetContributionAsync(Guid id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _executor.FirstOrNullAsync(GetContributionSql, new { Id = id }, GraphRows.ReadContribution, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Contribution>> ListContributionsAsync(ContributionQuery query, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var valid = StorageValidation.Normalize(query);
        var sql = (valid.AssetId, valid.ContributorId) switch
        {
            (null, null) => ListContributionsSql,
            (not null, null) => ListContributionsByAssetSql,
            (null, not null) => ListContributionsByContributorSql,
            _ => ListContributionsByBothSql,
        };
        var parameters = new { valid.AssetId, valid.ContributorId, valid.Limit, valid.Offset };
        return await _executor.ListAsync(sql, parameters, GraphRows.ReadContribution, cancellationToken);
    }

    /// <summary>Throws not-found for a missing contributor, then for a missing asset.</summary>
    private static void RequireLedgerReferences(Guid contributorId, Guid assetId, (bool Contributor, bool Asset) found)
    {
        if (!found.Contributor)
        {
            throw StorageErrors.ContributorNotFound(contributorId);
        }

        if (!found.Asset)
        {
            throw StorageErrors.AssetNotFound(assetId);
        }
    }
}

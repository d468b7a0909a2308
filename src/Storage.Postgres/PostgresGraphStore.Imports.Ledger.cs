using Dapper;
using Npgsql;
using static Storage.Postgres.PostgresCommands;

namespace Storage.Postgres;

public sealed partial class PostgresGraphStore
{
    private const string ContributorsTempSql = """
        CREATE TEMP TABLE import_contributors (
            ord integer, id uuid, name text, email text COLLATE "C", github_username text, wallet_address text, metadata text,
            created_at timestamptz, updated_at timestamptz) ON COMMIT DROP
        """;

    private const string ContributorsCopySql = """
        COPY import_contributors (ord, id, name, email, github_username, wallet_address, metadata, created_at, updated_at)
        FROM STDIN (FORMAT BINARY)
        """;

    // The first contributor in batch order whose email is taken: by a stored contributor with another id, or by
    // an earlier record of the batch.
    private const string ContributorsCheckSql = """
        SELECT i.email
        FROM (SELECT ord, id, email, row_number() OVER (PARTITION BY email ORDER BY ord) AS nth
              FROM import_contributors WHERE email IS NOT NULL) i
        WHERE i.nth > 1 OR EXISTS (SELECT 1 FROM contributors c WHERE c.email = i.email AND c.id <> i.id)
        ORDER BY i.ord
        LIMIT 1
        """;

    private const string ContributorsMergeSql = """
        INSERT INTO contributors AS c (id, name, email, github_username, wallet_address, metadata, created_at, updated_at)
        SELECT id, name, email, github_username, wallet_address, CAST(metadata AS json), created_at, updated_at FROM import_contributors
        ON CONFLICT (id) DO UPDATE SET
            name = excluded.name,
            email = excluded.email,
            github_username = excluded.github_username,
            wallet_address = excluded.wallet_address,
            metadata = excluded.metadata,
            created_at = excluded.created_at,
            updated_at = excluded.updated_at
        WHERE (c.name, c.email, c.github_username, c.wallet_address, c.metadata::text, c.created_at, c.updated_at)
            IS DISTINCT FROM (excluded.name, excluded.email, excluded.github_username, excluded.wallet_address, excluded.metadata::text, excluded.created_at, excluded.updated_at)
        """;

    private const string AssetsTempSql = """
        CREATE TEMP TABLE import_assets (
            id uuid, name text, description text, asset_type text, metadata text, created_at timestamptz, updated_at timestamptz) ON COMMIT DROP
        """;

    private const string AssetsCopySql = """
        COPY import_assets (id, name, description, asset_type, metadata, created_at, updated_at) FROM STDIN (FORMAT BINARY)
        """;

    // total_cost is derived: 0.00 for a new asset (it has no contributions yet), kept for an existing one.
    private const string AssetsMergeSql = """
        INSERT INTO assets AS a (id, name, description, asset_type, total_cost, metadata, created_at, updated_at)
        SELECT id, name, description, CAST(asset_type AS asset_type), 0.00, CAST(metadata AS json), created_at, updated_at FROM import_assets
        ON CONFLICT (id) DO UPDATE SET
            name = excluded.name,
            description = excluded.description,
            asset_type = excluded.asset_type,
            metadata = excluded.metadata,
            created_at = excluded.created_at,
            updated_at = excluded.updated_at
        WHERE (a.name, a.description, a.asset_type, a.metadata::text, a.created_at, a.updated_at)
            IS DISTINCT FROM (excluded.name, excluded.description, excluded.asset_type, excluded.metadata::text, excluded.created_at, excluded.updated_at)
        """;

    private const string ContributionsTempSql = """
        CREATE TEMP TABLE import_contributions (
            ord integer, id uuid, contributor_id uuid, asset_id uuid, cost_amount numeric, coherence_score numeric, metadata text,
            created_at timestamptz) ON COMMIT DROP
        """;

    private const string ContributionsCopySql = """
        COPY import_contributions (ord, id, contributor_id, asset_id, cost_amount, coherence_score, metadata, created_at)
        FROM STDIN (FORMAT BINARY)
        """;

    // The first contribution in batch order with a missing reference (the contributor is reported first).
    private const string ContributionsCheckSql = """
        SELECT i.contributor_id, c.id IS NOT NULL, i.asset_id
        FROM import_contributions i
        LEFT JOIN contributors c ON c.id = i.contributor_id
        LEFT JOIN assets a ON a.id = i.asset_id
        WHERE c.id IS NULL OR a.id IS NULL
        ORDER BY i.ord
        LIMIT 1
        """;

    // Asset totals follow through the contributions_total_cost_* triggers (inserted and updated rows alike).
    private const string ContributionsMergeSql = """
        INSERT INTO contributions AS c (id, contributor_id, asset_id, cost_amount, coherence_score, metadata, created_at)
        SELECT id, contributor_id, asset_id, cost_amount, coherence_score, CAST(metadata AS json), created_at FROM import_contributions
        ON CONFLICT (id) DO UPDATE SET
            contributor_id = excluded.contributor_id,
            asset_id = excluded.asset_id,
            cost_amount = excluded.cost_amount,
            coherence_score = excluded.coherence_score,
            metadata = excluded.metadata,
            created_at = excluded.created_at
        WHERE (c.contributor_id, c.asset_id, c.cost_amount, c.coherence_score, c.metadata::text, c.created_at)
            IS DISTINCT FROM (excluded.contributor_id, excluded.asset_id, excluded.cost_amount, excluded.coherence_score, excluded.metadata::text, excluded.created_at)
        """;

    /// <inheritdoc/>
    public async Task<int> ImportContributorsAsync(IReadOnlyCollection<Contributor> contributors, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var batch = StorageValidation.Batch(contributors, StorageValidation.Normalize, c => c.Id);
        if (batch.Count == 0)
        {
            return 0;
        }

        if (await TryAppendContributorsAsync(batch, cancellationToken))
        {
            return batch.Count;
        }

        await _executor.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                await connection.ExecuteAsync(Command(ContributorsTempSql, null, ct, transaction));
                await PostgresImport.CopyAsync(connection, ContributorsCopySql, "ANALYZE import_contributors", batch, WriteContributor, ct);
                var taken = await connection.ListAsync(ContributorsCheckSql, null, r => r.GetString(0), ct, transaction);
                if (taken.Count > 0)
                {
                    throw StorageErrors.EmailTaken(taken[0]);
                }

                await connection.ExecuteAsync(Command(ContributorsMergeSql, null, ct, transaction));
            },
            cancellationToken);
        return batch.Count;
    }

    /// <inheritdoc/>
    public async Task<int> ImportAssetsAsync(IReadOnlyCollection<Asset> assets, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var batch = StorageValidation.Batch(assets, StorageValidation.Normalize, a => a.Id);
        if (batch.Count == 0)
        {
            return 0;
        }

        if (await TryAppendAssetsAsync(batch, cancellationToken))
        {
            return batch.Count;
        }

        await _executor.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                await connection.ExecuteAsync(Command(AssetsTempSql, null, ct, transaction));
                await PostgresImport.CopyAsync(connection, AssetsCopySql, "ANALYZE import_assets", batch, WriteAsset, ct);
                await connection.ExecuteAsync(Command(AssetsMergeSql, null, ct, transaction));
            },
            cancellationToken);
        return batch.Count;
    }

    /// <inheritdoc/>
    public async Task<int> ImportContributionsAsync(IReadOnlyCollection<Contribution> contributions, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var batch = StorageValidation.Batch(contributions, StorageValidation.Normalize, c => c.Id);
        if (batch.Count == 0)
        {
            return 0;
        }

        if (await TryAppendContributionsAsync(batch, cancellationToken))
        {
            return batch.Count;
        }

        await _executor.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                await connection.ExecuteAsync(Command(ContributionsTempSql, null, ct, transaction));
                await PostgresImport.CopyAsync(connection, ContributionsCopySql, "ANALYZE import_contributions", batch, WriteContribution, ct);
                var missing = await connection.ListAsync(
                    ContributionsCheckSql, null, r => (Contributor: r.GetGuid(0), ContributorExists: r.GetBoolean(1), Asset: r.GetGuid(2)), ct, transaction);
                if (missing.Count > 0)
                {
                    throw missing[0].ContributorExists
                        ? StorageErrors.AssetNotFound(missing[0].Asset)
                        : StorageErrors.ContributorNotFound(missing[0].Contributor);
                }

                await connection.ExecuteAsync(Command(ContributionsMergeSql, null, ct, transaction));
            },
            cancellationToken);
        return batch.Count;
    }

    private static void WriteContributor(PostgresCopyWriter row, Contributor contributor, int ordinal)
    {
        row.Integer(ordinal);
        WriteContributorColumns(row, contributor);
    }

    private static void WriteContributorColumns(PostgresCopyWriter row, Contributor contributor)
    {
        row.Uuid(contributor.Id);
        row.Text(contributor.Name);
        row.Text(contributor.Email);
        row.Text(contributor.GithubUsername);
        row.Text(contributor.WalletAddress);
        row.Text(contributor.Metadata.Json);
        row.Time(contributor.CreatedAt);
        row.Time(contributor.UpdatedAt);
    }

    private static void WriteAsset(PostgresCopyWriter row, Asset asset, int ordinal)
    {
        row.Uuid(asset.Id);
        row.Text(asset.Name);
        row.Text(asset.Description);
        row.Text(StorageNames.Of(asset.AssetType));
        row.Text(asset.Metadata.Json);
        row.Time(asset.CreatedAt);
        row.Time(asset.UpdatedAt);
    }

    private static void WriteContribution(PostgresCopyWriter row, Contribution contribution, int ordinal)
    {
        row.Integer(ordinal);
        WriteContributionColumns(row, contribution);
    }

    private static void WriteContributionColumns(PostgresCopyWriter row, Contribution contribution)
    {
        row.Uuid(contribution.Id);
        row.Uuid(contribution.ContributorId);
        row.Uuid(contribution.AssetId);
        row.Numeric(contribution.CostAmount);
        row.Numeric(contribution.CoherenceScore);
        row.Text(contribution.Metadata.Json);
        row.Time(contribution.CreatedAt);
    }
}

using Npgsql;

namespace Storage.Postgres;

/// <summary>The append paths of the graph imports (<see cref="PostgresImport.AppendAsync"/>): a backfill's batches, copied straight into their tables.</summary>
public sealed partial class PostgresGraphStore
{
    private const string LastProjectSql = "SELECT ecosystem, name FROM projects ORDER BY ecosystem DESC, name DESC LIMIT 1";

    private const string AppendProjectsSql = """
        COPY projects (ecosystem, name, version, description, description_folded, homepage_url, repository_url, created_at, updated_at)
        FROM STDIN (FORMAT BINARY)
        """;

    private const string LastEdgeSql = """
        SELECT from_ecosystem, from_name, to_ecosystem, to_name FROM project_dependencies
        ORDER BY from_ecosystem DESC, from_name DESC, to_ecosystem DESC, to_name DESC LIMIT 1
        """;

    private const string AppendEdgesSql = "COPY project_dependencies (from_ecosystem, from_name, to_ecosystem, to_name) FROM STDIN (FORMAT BINARY)";

    private const string LastContributorSql = "SELECT id FROM contributors ORDER BY id DESC LIMIT 1";

    private const string AppendContributorsSql = """
        COPY contributors (id, name, email, github_username, wallet_address, metadata, created_at, updated_at) FROM STDIN (FORMAT BINARY)
        """;

    private const string LastAssetSql = "SELECT id FROM assets ORDER BY id DESC LIMIT 1";

    // total_cost is derived: 0.00 for a new asset (the contributions' triggers add to it).
    private const string AppendAssetsSql = """
        COPY assets (id, name, description, asset_type, total_cost, metadata, created_at, updated_at) FROM STDIN (FORMAT BINARY)
        """;

    private const string LastContributionSql = "SELECT id FROM contributions ORDER BY id DESC LIMIT 1";

    // Asset totals follow through the contributions_total_cost_insert trigger, which COPY fires like an INSERT.
    private const string AppendContributionsSql = """
        COPY contributions (id, contributor_id, asset_id, cost_amount, coherence_score, metadata, created_at) FROM STDIN (FORMAT BINARY)
        """;

    private Task<bool> TryAppendProjectsAsync(IReadOnlyList<Project> batch, CancellationToken cancellationToken)
        => _executor.TryAppendAsync(
            (connection, transaction, ct) => PostgresImport.AppendAsync(
                connection, transaction, LastProjectSql, r => new ProjectKey(r.GetString(0), r.GetString(1)), p => p.Key,
                StorageOrdering.CompareKey, AppendProjectsSql, batch, WriteProject, ct),
            cancellationToken);

    private Task<bool> TryAppendEdgesAsync(IReadOnlyList<DependencyEdge> batch, CancellationToken cancellationToken)
        => _executor.TryAppendAsync(
            (connection, transaction, ct) => PostgresImport.AppendAsync(
                connection, transaction, LastEdgeSql, GraphRows.ReadEdge, e => e, StorageOrdering.Edge.Compare, AppendEdgesSql, batch,
                static (row, edge, _) => WriteEdgeColumns(row, edge), ct),
            cancellationToken);

    private Task<bool> TryAppendContributorsAsync(IReadOnlyList<Contributor> batch, CancellationToken cancellationToken)
        => _executor.TryAppendAsync(
            (connection, transaction, ct) => PostgresImport.AppendAsync(
                connection, transaction, LastContributorSql, r => r.GetGuid(0), c => c.Id, StorageOrdering.CompareGuid, AppendContributorsSql, batch,
                static (row, contributor, _) => WriteContributorColumns(row, contributor), ct),
            cancellationToken);

    private Task<bool> TryAppendAssetsAsync(IReadOnlyList<Asset> batch, CancellationToken cancellationToken)
        => _executor.TryAppendAsync(
            (connection, transaction, ct) => PostgresImport.AppendAsync(
                connection, transaction, LastAssetSql, r => r.GetGuid(0), a => a.Id, StorageOrdering.CompareGuid, AppendAssetsSql, batch,
                AppendAsset, ct),
            cancellationToken);

    private Task<bool> TryAppendContributionsAsync(IReadOnlyList<Contribution> batch, CancellationToken cancellationToken)
        => _executor.TryAppendAsync(
            (connection, transaction, ct) => PostgresImport.AppendAsync(
                connection, transaction, LastContributionSql, r => r.GetGuid(0), c => c.Id, StorageOrdering.CompareGuid, AppendContributionsSql, batch,
                static (row, contribution, _) => WriteContributionColumns(row, contribution), ct),
            cancellationToken);

    private static void AppendAsset(PostgresCopyWriter row, Asset asset, int ordinal)
    {
        row.Uuid(asset.Id);
        row.Text(asset.Name);
        row.Text(asset.Description);
        row.Text(StorageNames.Of(asset.AssetType));
        row.Numeric(0.00m);
        row.Text(asset.Metadata.Json);
        row.Time(asset.CreatedAt);
        row.Time(asset.UpdatedAt);
    }
}

using System.Data.Common;

namespace Storage.Postgres;

/// <summary>The graph's tables as a <see cref="PostgresBulkLoad"/> loads them: a backfill's fast path.</summary>
public sealed partial class PostgresGraphStore
{
    // An edge with a missing end, and whether its from end exists (the import names the from end first).
    private const string RejectEdgesSql = """
        DELETE FROM project_dependencies d
        WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.ecosystem = d.from_ecosystem AND p.name = d.from_name)
           OR NOT EXISTS (SELECT 1 FROM projects p WHERE p.ecosystem = d.to_ecosystem AND p.name = d.to_name)
        RETURNING d.from_ecosystem, d.from_name, d.to_ecosystem, d.to_name,
                  EXISTS (SELECT 1 FROM projects p WHERE p.ecosystem = d.from_ecosystem AND p.name = d.from_name)
        """;

    // Every contributor whose email a contributor of a smaller id holds: in key order, the first one keeps it.
    private const string RejectContributorsSql = $"""
        DELETE FROM contributors c
        WHERE c.email IS NOT NULL AND EXISTS (SELECT 1 FROM contributors o WHERE o.email = c.email AND o.id < c.id)
        RETURNING {GraphRows.Contributor}
        """;

    // A contribution with a missing contributor or asset, and whether its contributor exists (the import names it first).
    private const string RejectContributionsSql = $"""
        DELETE FROM contributions c
        WHERE NOT EXISTS (SELECT 1 FROM contributors p WHERE p.id = c.contributor_id)
           OR NOT EXISTS (SELECT 1 FROM assets a WHERE a.id = c.asset_id)
        RETURNING {GraphRows.Contribution}, EXISTS (SELECT 1 FROM contributors p WHERE p.id = c.contributor_id)
        """;

    internal static readonly PostgresBulkLoadTable<Project> ProjectsTable = new(
        "projects",
        AppendProjectsSql,
        StorageValidation.Normalize,
        static (row, p) => WriteProject(row, p, 0),
        StreamProjectsFirstSql,
        GraphRows.ReadProject);

    internal static readonly PostgresBulkLoadTable<DependencyEdge> EdgesTable = new(
        "project_dependencies",
        AppendEdgesSql,
        static e => StorageValidation.Edge(e.From, e.To),
        WriteEdgeColumns,
        StreamEdgesFirstSql,
        GraphRows.ReadEdge,
        RejectEdgesSql,
        static r => new(GraphRows.ReadEdge(r), StorageErrors.ProjectNotFound(r.GetBoolean(4) ? Key(r, 2) : Key(r, 0)).Message));

    internal static readonly PostgresBulkLoadTable<Contributor> ContributorsTable = new(
        "contributors",
        AppendContributorsSql,
        StorageValidation.Normalize,
        WriteContributorColumns,
        $"{ScanContributorsSql} LIMIT @Limit",
        GraphRows.ReadContributor,
        RejectContributorsSql,
        RejectedContributor);

    internal static readonly PostgresBulkLoadTable<Asset> AssetsTable = new(
        "assets",
        AppendAssetsSql,
        StorageValidation.Normalize,
        static (row, a) => AppendAsset(row, a, 0),
        $"{ScanAssetsSql} LIMIT @Limit",
        GraphRows.ReadAsset);

    internal static readonly PostgresBulkLoadTable<Contribution> ContributionsTable = new(
        "contributions",
        AppendContributionsSql,
        StorageValidation.Normalize,
        WriteContributionColumns,
        $"{ScanContributionsSql} LIMIT @Limit",
        GraphRows.ReadContribution,
        RejectContributionsSql,
        RejectedContribution);

    private static PostgresBulkLoadRejection<Contributor> RejectedContributor(DbDataReader reader)
    {
        var contributor = GraphRows.ReadContributor(reader);
        return new(contributor, StorageErrors.EmailTaken(contributor.Email!).Message);
    }

    private static PostgresBulkLoadRejection<Contribution> RejectedContribution(DbDataReader reader)
    {
        var contribution = GraphRows.ReadContribution(reader);
        var error = reader.GetBoolean(7) ? StorageErrors.AssetNotFound(contribution.AssetId) : StorageErrors.ContributorNotFound(contribution.ContributorId);
        return new(contribution, error.Message);
    }

    private static ProjectKey Key(DbDataReader reader, int ordinal) => new(reader.GetString(ordinal), reader.GetString(ordinal + 1));
}

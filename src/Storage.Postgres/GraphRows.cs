using System.Data.Common;
using static Storage.Postgres.PostgresValues;

namespace Storage.Postgres;

/// <summary>The column lists the graph store selects, and the readers that turn a row into a record.</summary>
internal static class GraphRows
{
    /// <summary>Project columns of <c>projects p</c>; the dependency count is derived from the edges.</summary>
    public const string Project = """
        p.ecosystem, p.name, p.version, p.description, p.homepage_url, p.repository_url,
        (SELECT count(*) FROM project_dependencies c WHERE c.from_ecosystem = p.ecosystem AND c.from_name = p.name)::integer AS dependency_count,
        p.created_at, p.updated_at
        """;

    /// <summary>
    /// Every project in key order with its derived dependency count (the columns of <see cref="Project"/>), for a scan of the
    /// whole table: the edges are counted by one
    /// grouped index scan merged with the projects' (a count per project would be a million index look-ups).
    /// </summary>
    public const string ProjectsInKeyOrder = """
        SELECT p.ecosystem, p.name, p.version, p.description, p.homepage_url, p.repository_url, COALESCE(d.n, 0)::integer,
               p.created_at, p.updated_at
        FROM projects p
        LEFT JOIN (SELECT from_ecosystem, from_name, count(*) AS n FROM project_dependencies GROUP BY from_ecosystem, from_name) d
          ON d.from_ecosystem = p.ecosystem AND d.from_name = p.name
        ORDER BY p.ecosystem, p.name
        """;

    /// <summary>Contributor columns.</summary>
    public const string Contributor = "id, name, email, github_username, wallet_address, metadata, created_at, updated_at";

    /// <summary>Asset columns.</summary>
    public const string Asset = "id, name, description, asset_type::text, total_cost, metadata, created_at, updated_at";

    /// <summary>Contribution columns.</summary>
    public const string Contribution = "id, contributor_id, asset_id, cost_amount, coherence_score, metadata, created_at";

    public static Project ReadProject(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), Text(r, 2), Text(r, 3), Text(r, 4), Text(r, 5), r.GetInt32(6), Time(r, 7), Time(r, 8));

    public static Contributor ReadContributor(DbDataReader r) => new(
        r.GetGuid(0), r.GetString(1), Text(r, 2), Text(r, 3), Text(r, 4), Json(r, 5), Time(r, 6), Time(r, 7));

    public static Asset ReadAsset(DbDataReader r) => new(
        r.GetGuid(0), r.GetString(1), Text(r, 2), AssetType(r.GetString(3)), r.GetDecimal(4), Json(r, 5), Time(r, 6), Time(r, 7));

    public static Contribution ReadContribution(DbDataReader r) => new(
        r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), r.GetDecimal(3), r.GetDecimal(4), Json(r, 5), Time(r, 6));

    public static DependencyEdge ReadEdge(DbDataReader r)
        => new(new ProjectKey(r.GetString(0), r.GetString(1)), new ProjectKey(r.GetString(2), r.GetString(3)));
}

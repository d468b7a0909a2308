using System.Data.Common;

namespace Storage.Postgres;

public sealed partial class PostgresGraphStore
{
    private const string StreamProjectsFirstSql = $"SELECT {GraphRows.Project} FROM projects p ORDER BY p.ecosystem, p.name LIMIT @Limit";

    private const string StreamProjectsNextSql = $"""
        SELECT {GraphRows.Project} FROM projects p WHERE (p.ecosystem, p.name) > (@Ecosystem, @Name)
        ORDER BY p.ecosystem, p.name LIMIT @Limit
        """;

    private const string StreamEdgesFirstSql = """
        SELECT from_ecosystem, from_name, to_ecosystem, to_name FROM project_dependencies
        ORDER BY from_ecosystem, from_name, to_ecosystem, to_name LIMIT @Limit
        """;

    private const string StreamEdgesNextSql = """
        SELECT from_ecosystem, from_name, to_ecosystem, to_name FROM project_dependencies
        WHERE (from_ecosystem, from_name, to_ecosystem, to_name) > (@FromEcosystem, @FromName, @ToEcosystem, @ToName)
        ORDER BY from_ecosystem, from_name, to_ecosystem, to_name LIMIT @Limit
        """;

    private const string StreamContributorsSql = $"SELECT {GraphRows.Contributor} FROM contributors WHERE id > @After ORDER BY id LIMIT @Limit";

    private const string StreamAssetsSql = $"SELECT {GraphRows.Asset} FROM assets WHERE id > @After ORDER BY id LIMIT @Limit";

    private const string StreamContributionsSql = $"SELECT {GraphRows.Contribution} FROM contributions WHERE id > @After ORDER BY id LIMIT @Limit";

    internal const string ScanEdgesSql = """
        SELECT from_ecosystem, from_name, to_ecosystem, to_name FROM project_dependencies
        ORDER BY from_ecosystem, from_name, to_ecosystem, to_name
        """;

    internal const string ScanContributorsSql = $"SELECT {GraphRows.Contributor} FROM contributors ORDER BY id";

    internal const string ScanAssetsSql = $"SELECT {GraphRows.Asset} FROM assets ORDER BY id";

    internal const string ScanContributionsSql = $"SELECT {GraphRows.Contribution} FROM contributions ORDER BY id";

    /// <inheritdoc/>
    /// <remarks>
    /// Read as one query in key order, its rows read as they arrive, on a connection held until the stream ends or is disposed; when that
    /// fails transiently part-way, the rest is read in key-ordered pages of <see cref="StreamPageSize"/> after the last
    /// project yielded, each retried on its own.
    /// </remarks>
    public IAsyncEnumerable<Project> StreamProjectsAsync(CancellationToken cancellationToken = default)
        => StreamAsync(
            GraphRows.ProjectsInKeyOrder,
            (StreamProjectsFirstSql, new { Limit = StreamPageSize }),
            last => (StreamProjectsNextSql, new { last.Ecosystem, last.Name, Limit = StreamPageSize }),
            GraphRows.ReadProject,
            cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<DependencyEdge> StreamDependenciesAsync(CancellationToken cancellationToken = default)
        => StreamAsync(
            ScanEdgesSql,
            (StreamEdgesFirstSql, new { Limit = StreamPageSize }),
            last => (StreamEdgesNextSql, new
            {
                FromEcosystem = last.From.Ecosystem,
                FromName = last.From.Name,
                ToEcosystem = last.To.Ecosystem,
                ToName = last.To.Name,
                Limit = StreamPageSize,
            }),
            GraphRows.ReadEdge,
            cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<Contributor> StreamContributorsAsync(CancellationToken cancellationToken = default)
        => StreamAsync(
            ScanContributorsSql,
            (StreamContributorsSql, new { After = Guid.Empty, Limit = StreamPageSize }),
            last => (StreamContributorsSql, new { After = last.Id, Limit = StreamPageSize }),
            GraphRows.ReadContributor,
            cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<Asset> StreamAssetsAsync(CancellationToken cancellationToken = default)
        => StreamAsync(
            ScanAssetsSql,
            (StreamAssetsSql, new { After = Guid.Empty, Limit = StreamPageSize }),
            last => (StreamAssetsSql, new { After = last.Id, Limit = StreamPageSize }),
            GraphRows.ReadAsset,
            cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<Contribution> StreamContributionsAsync(CancellationToken cancellationToken = default)
        => StreamAsync(
            ScanContributionsSql,
            (StreamContributionsSql, new { After = Guid.Empty, Limit = StreamPageSize }),
            last => (StreamContributionsSql, new { After = last.Id, Limit = StreamPageSize }),
            GraphRows.ReadContribution,
            cancellationToken);

    /// <summary>
    /// One query over the whole table (<paramref name="scanSql"/>); after a transient failure part-way, keyset pagination from the
    /// last item read: <paramref name="first"/> reads the first page, <paramref name="next"/> the page after an item.
    /// (The empty UUID sorts before every stored id: validation rejects it as an id.)
    /// </summary>
    private IAsyncEnumerable<T> StreamAsync<T>(
        string scanSql,
        (string Sql, object Parameters) first,
        Func<T, (string Sql, object Parameters)> next,
        Func<DbDataReader, T> map,
        CancellationToken cancellationToken)
        => _executor.ScanAsync(scanSql, StreamPageSize, first, next, map, cancellationToken);
}

namespace Storage.Postgres;

public sealed partial class PostgresGraphStore
{
    private const string UpsertProjectSql = $"""
        INSERT INTO projects AS p (ecosystem, name, version, description, description_folded, homepage_url, repository_url, created_at, updated_at)
        VALUES (@Ecosystem, @Name, @Version, @Description, @DescriptionFolded, @HomepageUrl, @RepositoryUrl, @Now, @Now)
        ON CONFLICT (ecosystem, name) DO UPDATE SET
            version = excluded.version,
            description = excluded.description,
            description_folded = excluded.description_folded,
            homepage_url = excluded.homepage_url,
            repository_url = excluded.repository_url,
            updated_at = excluded.updated_at
        RETURNING {GraphRows.Project}
        """;

    private const string GetProjectSql = $"SELECT {GraphRows.Project} FROM projects p WHERE p.ecosystem = @Ecosystem AND p.name = @Name";

    private const string CountProjectsSql = "SELECT count(*) FROM projects";

    // Idempotent (edges go by cascade): retried like a read; a retry after a lost reply reports "already gone".
    private const string DeleteProjectSql = "DELETE FROM projects WHERE ecosystem = @Ecosystem AND name = @Name";

    // Search runs in up to two steps, both exact. Both columns are trigram-indexed; LIKE (default escape '\') rechecks
    // each candidate byte for byte, which on COLLATE "C" text equals an ordinal substring test on the folded text.
    // 1. The first SearchScanRows projects in key order are filtered: a common term finds its whole page there (the
    //    first matches in key order are the answer), and the trigram indexes would have to fetch thousands of rows.
    // 2. Otherwise every match is gathered through the trigram indexes (a MATERIALIZED CTE, so the planner cannot walk
    //    the whole primary key instead) and the first page taken from them: cheap, because a rarer term matches few rows.
    private const string SearchScanRows = "2000";

    private const string SearchProjectsScanSql = $"""
        SELECT {GraphRows.Project} FROM (SELECT * FROM projects ORDER BY ecosystem, name LIMIT {SearchScanRows}) p
        WHERE p.name LIKE @Pattern OR p.description_folded LIKE @Pattern
        ORDER BY p.ecosystem, p.name
        LIMIT @Limit
        """;

    private const string SearchProjectsSql = $"""
        WITH matches AS MATERIALIZED (
            SELECT ecosystem, name FROM projects
            WHERE name LIKE @Pattern OR description_folded LIKE @Pattern)
        SELECT {GraphRows.Project} FROM projects p
        JOIN (SELECT ecosystem, name FROM matches ORDER BY ecosystem, name LIMIT @Limit) m
          ON p.ecosystem = m.ecosystem AND p.name = m.name
        ORDER BY p.ecosystem, p.name
        """;

    private const string ListProjectsFirstSql = $"SELECT {GraphRows.Project} FROM projects p ORDER BY p.ecosystem, p.name LIMIT @Limit";

    private const string ListProjectsAfterSql = $"""
        SELECT {GraphRows.Project} FROM projects p
        WHERE (p.ecosystem, p.name) > (@Ecosystem, @Name)
        ORDER BY p.ecosystem, p.name
        LIMIT @Limit
        """;

    /// <inheritdoc/>
    public async Task<Project> UpsertProjectAsync(ProjectUpsert project, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fields = StorageValidation.Normalize(project);
        var now = Now();
        var parameters = new
        {
            fields.Ecosystem,
            fields.Name,
            fields.Version,
            fields.Description,
            DescriptionFolded = fields.Description is null ? null : StorageText.Fold(fields.Description),
            fields.HomepageUrl,
            fields.RepositoryUrl,
            Now = now,
        };
        return (await _executor.FirstOrNullOnceAsync(UpsertProjectSql, parameters, GraphRows.ReadProject, cancellationToken))!;
    }

    /// <inheritdoc/>
    public Task<Project?> GetProjectAsync(ProjectKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var normalized = StorageValidation.Key(key);
        return _executor.FirstOrNullAsync(GetProjectSql, normalized, GraphRows.ReadProject, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<long> CountProjectsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _executor.ScalarAsync<long>(CountProjectsSql, null, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<bool> DeleteProjectAsync(ProjectKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var normalized = StorageValidation.Key(key);
        return await _executor.ExecuteIdempotentAsync(DeleteProjectSql, normalized, cancellationToken) > 0;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Project>> SearchProjectsAsync(ProjectSearch search, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var query = StorageValidation.Normalize(search);
        var parameters = new { Pattern = PostgresValues.ContainsPattern(query.Text), query.Limit };
        var firstRows = await _executor.ListAsync(SearchProjectsScanSql, parameters, GraphRows.ReadProject, cancellationToken);
        return firstRows.Count == query.Limit
            ? firstRows
            : await _executor.ListAsync(SearchProjectsSql, parameters, GraphRows.ReadProject, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Project>> ListProjectsAsync(ProjectKey? after, int limit, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ProjectKey? start = after is { } a ? StorageValidation.Key(a) : null;
        var size = StorageValidation.Limit(limit, StorageLimits.MaxKeyPage);
        return start is { } s
            ? await _executor.ListAsync(ListProjectsAfterSql, new { s.Ecosystem, s.Name, Limit = size }, GraphRows.ReadProject, cancellationToken)
            : await _executor.ListAsync(ListProjectsFirstSql, new { Limit = size }, GraphRows.ReadProject, cancellationToken);
    }
}

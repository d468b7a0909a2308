using Dapper;
using Npgsql;
using static Storage.Postgres.PostgresCommands;

namespace Storage.Postgres;

public sealed partial class PostgresGraphStore
{
    private const string ProjectsTempSql = """
        CREATE TEMP TABLE import_projects (
            ecosystem text COLLATE "C", name text COLLATE "C", version text, description text, description_folded text COLLATE "C",
            homepage_url text, repository_url text, created_at timestamptz, updated_at timestamptz) ON COMMIT DROP
        """;

    private const string ProjectsCopySql = """
        COPY import_projects (ecosystem, name, version, description, description_folded, homepage_url, repository_url, created_at, updated_at)
        FROM STDIN (FORMAT BINARY)
        """;

    private const string ProjectsConflictSql = """
        ON CONFLICT (ecosystem, name) DO UPDATE SET
            version = excluded.version,
            description = excluded.description,
            description_folded = excluded.description_folded,
            homepage_url = excluded.homepage_url,
            repository_url = excluded.repository_url,
            created_at = excluded.created_at,
            updated_at = excluded.updated_at
        WHERE (p.version, p.description, p.homepage_url, p.repository_url, p.created_at, p.updated_at)
            IS DISTINCT FROM (excluded.version, excluded.description, excluded.homepage_url, excluded.repository_url, excluded.created_at, excluded.updated_at)
        """;

    private const string ProjectsMergeSql = $"""
        INSERT INTO projects AS p (ecosystem, name, version, description, description_folded, homepage_url, repository_url, created_at, updated_at)
        SELECT ecosystem, name, version, description, description_folded, homepage_url, repository_url, created_at, updated_at
        FROM import_projects
        {ProjectsConflictSql}
        """;

    // One record (the dual-write mirror of an upsert, a repair of one key): one statement, no temporary table.
    private const string ProjectsPutOneSql = $"""
        INSERT INTO projects AS p (ecosystem, name, version, description, description_folded, homepage_url, repository_url, created_at, updated_at)
        VALUES (@Ecosystem, @Name, @Version, @Description, @DescriptionFolded, @HomepageUrl, @RepositoryUrl, @CreatedAt, @UpdatedAt)
        {ProjectsConflictSql}
        """;

    private const string EdgesTempSql = """
        CREATE TEMP TABLE import_edges (
            ord integer, from_ecosystem text COLLATE "C", from_name text COLLATE "C", to_ecosystem text COLLATE "C", to_name text COLLATE "C")
        ON COMMIT DROP
        """;

    private const string EdgesCopySql = "COPY import_edges (ord, from_ecosystem, from_name, to_ecosystem, to_name) FROM STDIN (FORMAT BINARY)";

    // The first edge in batch order with a missing end; the flags say which (from is reported first).
    private const string EdgesCheckSql = """
        SELECT i.from_ecosystem, i.from_name, f.ecosystem IS NOT NULL, i.to_ecosystem, i.to_name
        FROM import_edges i
        LEFT JOIN projects f ON f.ecosystem = i.from_ecosystem AND f.name = i.from_name
        LEFT JOIN projects t ON t.ecosystem = i.to_ecosystem AND t.name = i.to_name
        WHERE f.ecosystem IS NULL OR t.ecosystem IS NULL
        ORDER BY i.ord
        LIMIT 1
        """;

    private const string EdgesMergeSql = """
        INSERT INTO project_dependencies (from_ecosystem, from_name, to_ecosystem, to_name)
        SELECT from_ecosystem, from_name, to_ecosystem, to_name FROM import_edges
        ON CONFLICT DO NOTHING
        """;

    /// <inheritdoc/>
    public async Task<int> ImportProjectsAsync(IReadOnlyCollection<Project> projects, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var batch = StorageValidation.Batch(projects, StorageValidation.Normalize, p => p.Key);
        if (batch.Count == 0)
        {
            return 0;
        }

        if (batch.Count == 1)
        {
            var project = batch[0];
            await _executor.ExecuteIdempotentAsync(
                ProjectsPutOneSql,
                new
                {
                    project.Ecosystem,
                    project.Name,
                    project.Version,
                    project.Description,
                    DescriptionFolded = project.Description is null ? null : StorageText.Fold(project.Description),
                    project.HomepageUrl,
                    project.RepositoryUrl,
                    project.CreatedAt,
                    project.UpdatedAt,
                },
                cancellationToken);
            return 1;
        }

        if (await TryAppendProjectsAsync(batch, cancellationToken))
        {
            return batch.Count;
        }

        await _executor.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                await connection.ExecuteAsync(Command(ProjectsTempSql, null, ct, transaction));
                await PostgresImport.CopyAsync(connection, ProjectsCopySql, "ANALYZE import_projects", batch, WriteProject, ct);
                await connection.ExecuteAsync(Command(ProjectsMergeSql, null, ct, transaction));
            },
            cancellationToken);
        return batch.Count;
    }

    /// <inheritdoc/>
    public async Task<int> ImportDependenciesAsync(IReadOnlyCollection<DependencyEdge> edges, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var batch = StorageValidation.Batch(edges, e => StorageValidation.Edge(e.From, e.To), e => e);
        if (batch.Count == 0)
        {
            return 0;
        }

        if (await TryAppendEdgesAsync(batch, cancellationToken))
        {
            return batch.Count;
        }

        await _executor.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                await connection.ExecuteAsync(Command(EdgesTempSql, null, ct, transaction));
                await PostgresImport.CopyAsync(connection, EdgesCopySql, "ANALYZE import_edges", batch, WriteEdge, ct);
                var missing = await connection.ListAsync(
                    EdgesCheckSql,
                    null,
                    r => (From: new ProjectKey(r.GetString(0), r.GetString(1)), FromExists: r.GetBoolean(2), To: new ProjectKey(r.GetString(3), r.GetString(4))),
                    ct,
                    transaction);
                if (missing.Count > 0)
                {
                    throw StorageErrors.ProjectNotFound(missing[0].FromExists ? missing[0].To : missing[0].From);
                }

                await connection.ExecuteAsync(Command(EdgesMergeSql, null, ct, transaction));
            },
            cancellationToken);
        return batch.Count;
    }

    private static void WriteProject(PostgresCopyWriter row, Project project, int ordinal)
    {
        row.Text(project.Ecosystem);
        row.Text(project.Name);
        row.Text(project.Version);
        row.Text(project.Description);
        row.Text(project.Description is null ? null : StorageText.Fold(project.Description));
        row.Text(project.HomepageUrl);
        row.Text(project.RepositoryUrl);
        row.Time(project.CreatedAt);
        row.Time(project.UpdatedAt);
    }

    private static void WriteEdge(PostgresCopyWriter row, DependencyEdge edge, int ordinal)
    {
        row.Integer(ordinal);
        WriteEdgeColumns(row, edge);
    }

    private static void WriteEdgeColumns(PostgresCopyWriter row, DependencyEdge edge)
    {
        row.Text(edge.From.Ecosystem);
        row.Text(edge.From.Name);
        row.Text(edge.To.Ecosystem);
        row.Text(edge.To.Name);
    }
}

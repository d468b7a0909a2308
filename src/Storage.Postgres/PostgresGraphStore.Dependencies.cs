using System.Data.Common;

namespace Storage.Postgres;

public sealed partial class PostgresGraphStore
{
    // One statement: both ends are looked up and key-share locked (a concurrent delete waits), and the edge is
    // inserted only when both exist. The flags say which end is missing. Running it twice leaves the same edge, so it
    // is retried like a read; when a first run committed but its reply was lost, the retry reports "already there".
    private const string AddDependencySql = """
        WITH f AS (SELECT 1 FROM projects WHERE ecosystem = @FromEcosystem AND name = @FromName FOR KEY SHARE),
             t AS (SELECT 1 FROM projects WHERE ecosystem = @ToEcosystem AND name = @ToName FOR KEY SHARE),
             added AS (
                INSERT INTO project_dependencies (from_ecosystem, from_name, to_ecosystem, to_name)
                SELECT @FromEcosystem, @FromName, @ToEcosystem, @ToName
                WHERE EXISTS (SELECT 1 FROM f) AND EXISTS (SELECT 1 FROM t)
                ON CONFLICT DO NOTHING
                RETURNING 1)
        SELECT EXISTS (SELECT 1 FROM f), EXISTS (SELECT 1 FROM t), EXISTS (SELECT 1 FROM added)
        """;

    // Idempotent: retried like a read (a retry after a lost reply reports "already gone").
    private const string RemoveDependencySql = """
        DELETE FROM project_dependencies
        WHERE from_ecosystem = @FromEcosystem AND from_name = @FromName AND to_ecosystem = @ToEcosystem AND to_name = @ToName
        """;

    // The start row decides not-found (no row at all); a start without neighbours yields one row of nulls.
    private const string DependenciesSql = $"""
        SELECT x.* FROM projects s
        LEFT JOIN LATERAL (
            SELECT {GraphRows.Project}
            FROM project_dependencies e JOIN projects p ON p.ecosystem = e.to_ecosystem AND p.name = e.to_name
            WHERE e.from_ecosystem = s.ecosystem AND e.from_name = s.name) x ON true
        WHERE s.ecosystem = @Ecosystem AND s.name = @Name
        ORDER BY x.ecosystem, x.name
        """;

    private const string DependentsSql = $"""
        SELECT x.* FROM projects s
        LEFT JOIN LATERAL (
            SELECT {GraphRows.Project}
            FROM project_dependencies e JOIN projects p ON p.ecosystem = e.from_ecosystem AND p.name = e.from_name
            WHERE e.to_ecosystem = s.ecosystem AND e.to_name = s.name) x ON true
        WHERE s.ecosystem = @Ecosystem AND s.name = @Name
        ORDER BY x.ecosystem, x.name
        """;

    private const string CountDependentsSql = """
        SELECT (SELECT count(*) FROM project_dependencies e WHERE e.to_ecosystem = s.ecosystem AND e.to_name = s.name)::integer
        FROM projects s
        WHERE s.ecosystem = @Ecosystem AND s.name = @Name
        """;

    // Breadth-first by walk length: UNION keeps each (project, depth) once, so the work is bounded by
    // projects x depth even on cycles; each project is then reported at its smallest depth.
    private const string TransitiveSql = """
        WITH RECURSIVE
            start AS (SELECT ecosystem, name FROM projects WHERE ecosystem = @Ecosystem AND name = @Name),
            walk (ecosystem, name, depth) AS (
                SELECT e.to_ecosystem, e.to_name, 1
                FROM start s JOIN project_dependencies e ON e.from_ecosystem = s.ecosystem AND e.from_name = s.name
                UNION
                SELECT e.to_ecosystem, e.to_name, w.depth + 1
                FROM walk w JOIN project_dependencies e ON e.from_ecosystem = w.ecosystem AND e.from_name = w.name
                WHERE w.depth < @MaxDepth),
            found AS (
                SELECT ecosystem, name, min(depth) AS depth FROM walk
                WHERE NOT (ecosystem = @Ecosystem AND name = @Name)
                GROUP BY ecosystem, name)
        SELECT f.ecosystem, f.name, f.depth FROM start s LEFT JOIN found f ON true
        ORDER BY f.depth, f.ecosystem, f.name
        """;

    /// <inheritdoc/>
    public async Task<bool> AddDependencyAsync(ProjectKey project, ProjectKey dependsOn, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var edge = StorageValidation.Edge(project, dependsOn);
        var flags = await _executor.ListAsync(
            AddDependencySql, EdgeParameters(edge), r => (From: r.GetBoolean(0), To: r.GetBoolean(1), Added: r.GetBoolean(2)), cancellationToken);
        var (fromExists, toExists, added) = flags[0];
        return !fromExists ? throw StorageErrors.ProjectNotFound(edge.From)
            : !toExists ? throw StorageErrors.ProjectNotFound(edge.To)
            : added;
    }

    /// <inheritdoc/>
    public async Task<bool> RemoveDependencyAsync(ProjectKey project, ProjectKey dependsOn, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var edge = StorageValidation.Edge(project, dependsOn);
        return await _executor.ExecuteIdempotentAsync(RemoveDependencySql, EdgeParameters(edge), cancellationToken) > 0;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Project>> GetDependenciesAsync(ProjectKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return NeighboursAsync(DependenciesSql, StorageValidation.Key(key), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Project>> GetDependentsAsync(ProjectKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return NeighboursAsync(DependentsSql, StorageValidation.Key(key), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<int> CountDependentsAsync(ProjectKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var normalized = StorageValidation.Key(key);
        var counts = await _executor.ListAsync(CountDependentsSql, normalized, r => r.GetInt32(0), cancellationToken);
        return counts.Count == 0 ? throw StorageErrors.ProjectNotFound(normalized) : counts[0];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<TransitiveDependency>> GetTransitiveDependenciesAsync(
        ProjectKey key, int maxDepth, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var start = StorageValidation.Key(key);
        var depthLimit = StorageValidation.MaxDepth(maxDepth);
        var rows = await _executor.ListAsync(
            TransitiveSql,
            new { start.Ecosystem, start.Name, MaxDepth = depthLimit },
            r => r.IsDBNull(0) ? (TransitiveDependency?)null : new TransitiveDependency(new ProjectKey(r.GetString(0), r.GetString(1)), r.GetInt32(2)),
            cancellationToken);
        return rows.Count == 0
            ? throw StorageErrors.ProjectNotFound(start)
            : rows.Where(r => r is not null).Select(r => r!.Value).ToArray();
    }

    private static object EdgeParameters(DependencyEdge edge) => new
    {
        FromEcosystem = edge.From.Ecosystem,
        FromName = edge.From.Name,
        ToEcosystem = edge.To.Ecosystem,
        ToName = edge.To.Name,
    };

    private async Task<IReadOnlyList<Project>> NeighboursAsync(string sql, ProjectKey key, CancellationToken cancellationToken)
    {
        var rows = await _executor.ListAsync(sql, key, ReadOptionalProject, cancellationToken);
        return rows.Count == 0
            ? throw StorageErrors.ProjectNotFound(key)
            : rows.Where(p => p is not null).Select(p => p!).ToArray();
    }

    private static Project? ReadOptionalProject(DbDataReader reader) => reader.IsDBNull(0) ? null : GraphRows.ReadProject(reader);
}

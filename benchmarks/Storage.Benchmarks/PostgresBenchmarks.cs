using System.Diagnostics;
using Npgsql;
using Storage.Abstractions;
using Storage.Postgres;
using Storage.Testing;

namespace Storage.Benchmarks;

/// <summary>The PostgreSQL backend's figures, side by side with pgbench against the same server.</summary>
internal static class PostgresBenchmarks
{
    private const string Schema = "storage";

    public static async Task RunAsync(BenchmarkSettings settings, TextWriter output)
    {
        var server = await PostgresServer.GetAsync();
        var seconds = settings.Seconds;
        output.WriteLine($"# PostgreSQL backend benchmarks ({Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version})");
        output.WriteLine($"settings: {settings}");

        var pgbenchDb = await server.CreateDatabaseAsync("bench_pgbench");
        await Pgbench.RunAsync(pgbenchDb, "-i", "-s", "10", "-q");
        var selectTps = await Pgbench.TpsAsync(pgbenchDb, "-S", "-c", "1", "-j", "1", "-n", "-T", $"{seconds}");
        var insertTps = await PgbenchInsertAsync(pgbenchDb, seconds);

        var storeDb = await server.CreateDatabaseAsync("bench_store");
        var oneConnection = new NpgsqlConnectionStringBuilder(storeDb) { MaxPoolSize = 1 }.ConnectionString;
        await using var dataSource = PostgresStorageDataSource.Create(oneConnection, Schema);
        await PostgresMigrator.ApplyAsync(dataSource, Schema);
        var time = TimeProvider.System;
        var ids = new GuidV7IdGenerator(time);
        var graph = new PostgresGraphStore(dataSource, time, ids);
        var tasks = new PostgresAgentTaskStore(dataSource, time, ids);

        var projectImport = await ImportRateAsync(DataSet.Projects(0, settings.Projects, 10_000), b => graph.ImportProjectsAsync(b));
        var taskImport = await ImportRateAsync(DataSet.Tasks(settings.Tasks, 10_000), b => tasks.ImportTasksAsync(b));
        await Analyze(dataSource);

        var random = new Random(42);
        var getRate = await Latency.RateAsync(seconds, _ => graph.GetProjectAsync(DataSet.Key(random.Next(settings.Projects))));
        var upsertRate = await Latency.RateAsync(seconds, n => graph.UpsertProjectAsync(new ProjectUpsert("bench", $"u{n}") { Version = "1.0.0", Description = "upserted" }));
        var terms = Enumerable.Range(0, 500).Select(_ => DataSet.Word(random)[..4]).ToArray();
        var search = await Latency.PercentilesAsync(terms.Length, i => graph.SearchProjectsAsync(new ProjectSearch(terms[i], 20)));
        var statuses = Enum.GetValues<AgentTaskStatus>();
        var page = await Latency.PercentilesAsync(500, i => tasks.ListTasksAsync(new AgentTaskQuery { Status = statuses[i % statuses.Length], Limit = 50 }));
        var counts = await Latency.PercentilesAsync(500, _ => tasks.CountTasksByStatusAsync());
        var plan = await ExplainSearchAsync(dataSource, terms[0]);

        output.WriteLine();
        output.WriteLine("| measurement | result | reference | ratio / target |");
        output.WriteLine("|---|---|---|---|");
        output.WriteLine($"| get project by key, 1 connection | {getRate:N0} ops/s | pgbench -S -c 1: {selectTps:N0} tps | {getRate / selectTps:0.00}x (target >= 0.8x) |");
        output.WriteLine($"| upsert project, 1 connection | {upsertRate:N0} ops/s | pgbench single-row INSERT -c 1: {insertTps:N0} tps | {upsertRate / insertTps:0.00}x (target >= 0.7x) |");
        output.WriteLine($"| bulk import, {settings.Projects:N0} projects (2 trigram GIN indexes) | {projectImport:N0} records/s | | target >= 150,000/s |");
        output.WriteLine($"| bulk import, {settings.Tasks:N0} agent tasks | {taskImport:N0} records/s | | target >= 150,000/s |");
        output.WriteLine($"| search over {settings.Projects:N0} projects (4-letter terms, limit 20) | p50 {search.P50:0.00} ms, p95 {search.P95:0.00} ms, p99 {search.P99:0.00} ms | | p95 < 5 ms |");
        output.WriteLine($"| first page of tasks by status + exact total, {settings.Tasks:N0} tasks | p50 {page.P50:0.00} ms, p95 {page.P95:0.00} ms, p99 {page.P99:0.00} ms | | p95 < 5 ms |");
        output.WriteLine($"| counts by status, {settings.Tasks:N0} tasks | p50 {counts.P50:0.00} ms, p95 {counts.P95:0.00} ms, p99 {counts.P99:0.00} ms | | p95 < 5 ms |");
        output.WriteLine();
        output.WriteLine($"search plan for '{terms[0]}':");
        output.WriteLine(plan);
    }

    private static async Task<double> PgbenchInsertAsync(string connectionString, int seconds)
    {
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "CREATE TABLE IF NOT EXISTS bench_insert (id bigserial PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL)", connection);
            await command.ExecuteNonQueryAsync();
        }

        var script = Path.Combine(Path.GetTempPath(), $"bench-insert-{Environment.ProcessId}.sql");
        await File.WriteAllTextAsync(script, "INSERT INTO bench_insert (name, created_at) VALUES ('x', now());\n");
        try
        {
            return await Pgbench.TpsAsync(connectionString, "-n", "-c", "1", "-j", "1", "-T", $"{seconds}", "-f", script);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static async Task<double> ImportRateAsync<T>(IEnumerable<T[]> batches, Func<T[], Task<int>> import)
    {
        var prepared = batches.ToList(); // generate first, so only the import is timed
        var stopwatch = Stopwatch.StartNew();
        long records = 0;
        foreach (var batch in prepared)
        {
            records += await import(batch);
        }

        return records / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task Analyze(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("VACUUM ANALYZE");
        await command.ExecuteNonQueryAsync();
    }

    // The same statement PostgresGraphStore.SearchProjectsAsync runs, to show the plan.
    private static async Task<string> ExplainSearchAsync(NpgsqlDataSource dataSource, string term)
    {
        await using var command = dataSource.CreateCommand("""
            EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF)
            WITH matches AS MATERIALIZED (
                SELECT ecosystem, name FROM projects
                WHERE name LIKE $1 OR description_folded LIKE $1)
            SELECT p.ecosystem, p.name FROM projects p
            JOIN (SELECT ecosystem, name FROM matches ORDER BY ecosystem, name LIMIT 20) m
              ON p.ecosystem = m.ecosystem AND p.name = m.name
            ORDER BY p.ecosystem, p.name
            """);
        command.Parameters.AddWithValue($"%{term}%");
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join(Environment.NewLine, lines);
    }
}

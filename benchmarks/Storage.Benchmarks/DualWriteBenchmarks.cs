using System.Diagnostics;
using Npgsql;
using Storage.Abstractions;
using Storage.DualWrite;
using Storage.InMemory;
using Storage.Postgres;
using Storage.Testing;

namespace Storage.Benchmarks;

/// <summary>Dual-write throughput against PostgreSQL alone, and caller latency with a dead PostgreSQL.</summary>
internal static class DualWriteBenchmarks
{
    private const int Workers = 4;

    public static async Task RunAsync(BenchmarkSettings settings, TextWriter output)
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync("bench_dualwrite")) { MaxPoolSize = Workers * 2 }.ConnectionString;
        await using var dataSource = PostgresStorageDataSource.Create(connectionString, "storage");
        await PostgresMigrator.ApplyAsync(dataSource, "storage");
        var time = TimeProvider.System;
        var ids = new GuidV7IdGenerator(time);
        var journalPath = Path.Combine(Path.GetTempPath(), $"bench-dualwrite-{Environment.ProcessId}.jsonl");
        using var journal = RepairJournal.Open(journalPath);
        var flags = new MigrationFlagsMonitor(new MigrationFlags(DualWriteMode: true, ReadFromPostgresPercent: 0, PostgresPrimary: false, PostgresOnly: false));

        var postgres = new PostgresGraphStore(dataSource, time, ids);
        var postgresAlone = await ThroughputAsync(settings.Seconds, "pg", postgres);
        var dualWrite = new DualWriteGraphStore(new InMemoryGraphStore(time, ids), postgres, new DualWriteCoordinator(flags, journal));
        var dualWriteRate = await ThroughputAsync(settings.Seconds, "dw", dualWrite);
        var healthy = await Latency.PercentilesAsync(2_000, i => dualWrite.UpsertProjectAsync(new ProjectUpsert("latency", $"healthy-{i}")));

        // A PostgreSQL that refuses connections: the breaker opens after its first failures.
        await using var deadSource = PostgresStorageDataSource.Create("Host=127.0.0.1;Port=1;Username=nobody;Timeout=2", "storage");
        var dead = new DualWriteGraphStore(
            new InMemoryGraphStore(time, ids), new PostgresGraphStore(deadSource, time, ids), new DualWriteCoordinator(flags, journal));
        var down = await Latency.PercentilesAsync(2_000, i => dead.UpsertProjectAsync(new ProjectUpsert("latency", $"down-{i}")));

        output.WriteLine($"# Dual-write benchmarks ({Environment.ProcessorCount} cores, {Workers} concurrent writers, {settings.Seconds} s each)");
        output.WriteLine();
        output.WriteLine("| measurement | result | reference | ratio / target |");
        output.WriteLine("|---|---|---|---|");
        output.WriteLine($"| upsert throughput, dual write (in-memory + PostgreSQL) | {dualWriteRate:N0} ops/s | PostgreSQL alone: {postgresAlone:N0} ops/s | {dualWriteRate / postgresAlone:0.00}x (target >= 0.9x) |");
        output.WriteLine($"| caller upsert latency, PostgreSQL down, breaker open | p50 {down.P50:0.000} ms, p99 {down.P99:0.000} ms | PostgreSQL healthy: p50 {healthy.P50:0.000} ms, p99 {healthy.P99:0.000} ms | p99 no worse than healthy |");
        output.WriteLine($"journal depth after the outage run: {journal.PendingCount:N0} keys");
        File.Delete(journalPath);
    }

    private static async Task<double> ThroughputAsync(int seconds, string prefix, IGraphStore store)
    {
        var stopwatch = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, Workers).Select(async worker =>
        {
            long n = 0;
            while (stopwatch.Elapsed.TotalSeconds < seconds)
            {
                await store.UpsertProjectAsync(new ProjectUpsert("throughput", $"{prefix}-{worker}-{n++}") { Version = "1.0.0" });
            }

            return n;
        }));
        return counts.Sum() / stopwatch.Elapsed.TotalSeconds;
    }
}

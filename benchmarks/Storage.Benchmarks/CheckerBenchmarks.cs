using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Storage.Abstractions;
using Storage.Consistency;
using Storage.Postgres;
using Storage.Testing;

namespace Storage.Benchmarks;

/// <summary>
/// The consistency checker's figures (issue 5): a snapshot repaired into an empty database (records/s), a check of the
/// snapshot against it beside <c>COPY ... TO STDOUT</c> of the same tables, and the check's peak memory at two sizes.
/// The checker runs as a child process (its Release build), as an operator runs it.
/// </summary>
internal static class CheckerBenchmarks
{
    private const string Schema = "storage";
    private static readonly string[] Tables = ["projects", "project_dependencies", "contributors", "assets", "contributions", "agent_tasks"];

    private sealed record Scale(
        int Projects, long Records, string Repair, double RepairRate, double CopySeconds, double CheckSeconds, long PeakBytes,
        double SnapshotReadSeconds, double PostgresReadSeconds);

    public static async Task RunAsync(CheckerSettings settings, TextWriter output)
    {
        output.WriteLine($"# Consistency checker benchmarks ({Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version})");
        output.WriteLine($"settings: {settings}; checker: {CheckerProcess.FindDll()}");
        await using var server = await PostgresServer.StartDedicatedAsync();
        var folder = Directory.CreateTempSubdirectory("bench-checker-").FullName;
        try
        {
            var small = await MeasureAsync(server, folder, settings.SmallProjects, settings.Runs, output);
            var full = await MeasureAsync(server, folder, settings.Projects, settings.Runs, output);
            output.WriteLine();
            output.WriteLine("| measurement | result | reference | ratio / target |");
            output.WriteLine("|---|---|---|---|");
            output.WriteLine($"| check, snapshot vs PostgreSQL, no differences, {full.Records:N0} records | {full.CheckSeconds:N1} s | COPY (each table) TO STDOUT: {full.CopySeconds:N1} s | {full.CheckSeconds / full.CopySeconds:0.00}x (target <= 2x) |");
            output.WriteLine($"| check, {small.Records:N0} records | {small.CheckSeconds:N1} s | COPY: {small.CopySeconds:N1} s | {small.CheckSeconds / small.CopySeconds:0.00}x |");
            output.WriteLine($"| peak memory (VmHWM) of check | {Mb(full.PeakBytes)} at {full.Records:N0} records | {Mb(small.PeakBytes)} at {small.Records:N0} records | {(double)full.PeakBytes / small.PeakBytes:0.00}x (target <= 1.5x) |");
            output.WriteLine($"| repair into an empty database, {full.Records:N0} records | {full.RepairRate:N0} records/s ({full.Repair}) | | target >= 150,000/s |");
            output.WriteLine($"| repair into an empty database, {small.Records:N0} records | {small.RepairRate:N0} records/s ({small.Repair}) | | |");
            output.WriteLine();
            output.WriteLine("where a check's time goes (in-process, one side at a time, every kind read through):");
            output.WriteLine($"  {full.Records:N0} records: snapshot read {full.SnapshotReadSeconds:N1} s, PostgreSQL read {full.PostgresReadSeconds:N1} s");
            output.WriteLine($"  {small.Records:N0} records: snapshot read {small.SnapshotReadSeconds:N1} s, PostgreSQL read {small.PostgresReadSeconds:N1} s");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<Scale> MeasureAsync(PostgresServer server, string folder, int projects, int runs, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"## {projects:N0} projects");
        var snapshot = Path.Combine(folder, $"snapshot-{projects}.jsonl");
        var stopwatch = Stopwatch.StartNew();
        var records = await CheckerDataSet.WriteSnapshotAsync(snapshot, projects);
        output.WriteLine($"snapshot: {records:N0} records, {new FileInfo(snapshot).Length / 1e6:N0} MB, written in {stopwatch.Elapsed.TotalSeconds:N1} s");
        GC.Collect();

        var database = await server.CreateDatabaseAsync($"bench_checker_{projects}");
        await using var dataSource = PostgresStorageDataSource.Create(database, Schema);
        await PostgresMigrator.ApplyAsync(dataSource, Schema);

        var postmaster = await PostmasterAsync(dataSource);
        Log(output, "repair into the empty database ...");
        var serverBefore = ServerCpu(postmaster);
        var repair = await CheckerProcess.RunAsync("repair", "--source", snapshot, "--target", database, "--format", "json");
        var written = Written(repair.Stdout);
        var rate = written / repair.Elapsed.TotalSeconds;
        Log(output, $"repair: exit {repair.ExitCode}, {written:N0} written in {repair.Elapsed.TotalSeconds:N1} s = {rate:N0} records/s, peak {Mb(repair.PeakBytes)}, checker CPU {repair.Cpu.TotalSeconds:N1} s, server CPU {await ServerCpuSinceAsync(postmaster, serverBefore):N1} s");
        if (repair.ExitCode != 0)
        {
            throw new InvalidOperationException($"repair failed: {repair.Stderr}");
        }

        await ExecuteAsync(dataSource, "VACUUM ANALYZE");

        double copy = double.MaxValue, check = double.MaxValue;
        long peak = 0;
        for (var run = 1; run <= runs; run++)
        {
            var (text, binary) = await CopyOutAsync(database);
            var copySeconds = Math.Min(text, binary);
            Log(output, $"run {run}: COPY (each table) TO STDOUT: text {text:N2} s, binary {binary:N2} s");
            var before = ServerCpu(postmaster);
            var result = await CheckerProcess.RunAsync("check", "--source", snapshot, "--target", database);
            Log(output, $"run {run}: check: exit {result.ExitCode}, {result.Elapsed.TotalSeconds:N2} s, peak {Mb(result.PeakBytes)}, checker CPU {result.Cpu.TotalSeconds:N1} s, server CPU {await ServerCpuSinceAsync(postmaster, before):N1} s; {result.Stderr.Trim()}");
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"check found differences or failed: {result.Stdout}{result.Stderr}");
            }

            copy = Math.Min(copy, copySeconds);
            check = Math.Min(check, result.Elapsed.TotalSeconds);
            peak = Math.Max(peak, result.PeakBytes);
        }

        var snapshotRead = await ReadAllAsync(await SnapshotFileSource.OpenAsync(snapshot), output);
        var postgresRead = await ReadAllAsync(PostgresSide(dataSource), output);
        var inProcess = await CheckInProcessAsync(snapshot, dataSource, output);
        Log(output, $"one side at a time: snapshot {snapshotRead:N2} s, PostgreSQL {postgresRead:N2} s; in-process check {inProcess:N2} s");
        File.Delete(snapshot);
        return new Scale(projects, records, $"exit {repair.ExitCode}, {repair.Elapsed.TotalSeconds:N1} s", rate, copy, check, peak, snapshotRead, postgresRead);
    }

    /// <summary>
    /// Reads every table out once with <c>COPY table TO STDOUT</c>, in text format (read as text) and in binary format
    /// (raw bytes), discarding the data; returns the faster of the two, the floor a check is measured against.
    /// </summary>
    private static async Task<(double Text, double Binary)> CopyOutAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var chars = new char[1 << 15];
        var stopwatch = Stopwatch.StartNew();
        foreach (var table in Tables)
        {
            using var reader = await connection.BeginTextExportAsync($"COPY {Schema}.{table} TO STDOUT");
            while (await reader.ReadAsync(chars.AsMemory(), CancellationToken.None) > 0)
            {
            }
        }

        var text = stopwatch.Elapsed.TotalSeconds;
        var bytes = new byte[1 << 16];
        stopwatch.Restart();
        foreach (var table in Tables)
        {
            await using var stream = await connection.BeginRawBinaryCopyAsync($"COPY {Schema}.{table} TO STDOUT (FORMAT BINARY)");
            while (await stream.ReadAsync(bytes.AsMemory(), CancellationToken.None) > 0)
            {
            }
        }

        return (text, stopwatch.Elapsed.TotalSeconds);
    }

    private static async Task<double> ReadAllAsync(IConsistencySource side, TextWriter output)
    {
        await using (side)
        {
            var stopwatch = Stopwatch.StartNew();
            var kinds = new List<string>();
            async Task KindAsync<T>(string name, IAsyncEnumerable<T> stream)
            {
                var started = stopwatch.Elapsed;
                var count = await CountAsync(stream);
                kinds.Add($"{name} {count:N0} in {(stopwatch.Elapsed - started).TotalSeconds:N2} s");
            }

            await KindAsync("project", side.StreamProjectsAsync());
            await KindAsync("dependency", side.StreamDependenciesAsync());
            await KindAsync("contributor", side.StreamContributorsAsync());
            await KindAsync("asset", side.StreamAssetsAsync());
            await KindAsync("contribution", side.StreamContributionsAsync());
            await KindAsync("agent_task", side.StreamTasksAsync());
            output.WriteLine($"    {side.Description}: {string.Join(", ", kinds)}");
            return stopwatch.Elapsed.TotalSeconds;
        }
    }

    /// <summary>The check in this process, with the time spent on each kind.</summary>
    private static async Task<double> CheckInProcessAsync(string snapshot, NpgsqlDataSource dataSource, TextWriter output)
    {
        await using var source = await SnapshotFileSource.OpenAsync(snapshot);
        await using var target = PostgresSide(dataSource);
        var progress = new ConsistencyProgress();
        var stopwatch = Stopwatch.StartNew();
        var running = new ConsistencyEngine().CheckAsync(source, target, new ConsistencyCheckOptions { Progress = progress });
        var kinds = new List<string>();
        var (kind, since) = (progress.Kind, TimeSpan.Zero);
        while (!running.IsCompleted)
        {
            await Task.WhenAny(running, Task.Delay(5));
            if (progress.Kind != kind || running.IsCompleted)
            {
                kinds.Add($"{kind.Name()} {(stopwatch.Elapsed - since).TotalSeconds:N2} s");
                (kind, since) = (progress.Kind, stopwatch.Elapsed);
            }
        }

        var report = await running;
        output.WriteLine($"    in-process check ({report.Compared:N0} compared, consistent {report.IsConsistent}): {string.Join(", ", kinds)}");
        return stopwatch.Elapsed.TotalSeconds;
    }

    private static LiveStoreSource PostgresSide(NpgsqlDataSource dataSource) => new(
        new PostgresGraphStore(dataSource, TimeProvider.System, new GuidV7IdGenerator(TimeProvider.System)),
        new PostgresAgentTaskStore(dataSource, TimeProvider.System, new GuidV7IdGenerator(TimeProvider.System)),
        "postgres");

    private static async Task<long> CountAsync<T>(IAsyncEnumerable<T> stream)
    {
        long count = 0;
        await foreach (var _ in stream)
        {
            count++;
        }

        return count;
    }

    private static long Written(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("repair").GetProperty("written").GetInt64();
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The server's postmaster process: the parent of its checkpointer.</summary>
    private static async Task<int> PostmasterAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'");
        var checkpointer = (int)(await command.ExecuteScalarAsync())!;
        return int.Parse(Stat(checkpointer)[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// CPU seconds of the server's exited backends (the postmaster's reaped children, fields cutime and cstime): a
    /// checker's backends exit with its connections, so the difference across a run is the server's work for it.
    /// </summary>
    private static double ServerCpu(int postmaster)
    {
        var fields = Stat(postmaster);
        return (long.Parse(fields[13], System.Globalization.CultureInfo.InvariantCulture)
            + long.Parse(fields[14], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }

    private static async Task<double> ServerCpuSinceAsync(int postmaster, double before)
    {
        await Task.Delay(500); // the backends exit just after the checker does
        return ServerCpu(postmaster) - before;
    }

    /// <summary>The fields of /proc/&lt;pid&gt;/stat after the command name: [0] is the state, [1] the parent.</summary>
    private static string[] Stat(int pid)
    {
        var text = File.ReadAllText($"/proc/{pid}/stat");
        return text[(text.LastIndexOf(')') + 2)..].Split(' ');
    }

    private static void Log(TextWriter output, string line)
        => output.WriteLine($"{DateTime.UtcNow:HH:mm:ss} [load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}] {line}");

    private static string Mb(long bytes) => $"{bytes / (1024.0 * 1024.0):N0} MB";
}

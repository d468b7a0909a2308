using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Npgsql;
using Storage.DualWrite;

namespace Storage.SampleHost.Tests;

[RequiresPostgres]
public sealed class DualWriteHostTests : IDisposable
{
    private static readonly TimeSpan ReloadTimeout = TimeSpan.FromSeconds(20);
    private readonly FlagsFile _flags = new();
    private readonly string _journal = Path.Combine(Path.GetTempPath(), $"samplehost-journal-{Guid.NewGuid():N}.jsonl");

    public void Dispose()
    {
        _flags.Dispose();
        File.Delete(_journal);
    }

    [Fact]
    public async Task Health_reports_the_phase_flags_journal_and_breaker_and_follows_the_flags_file()
    {
        _flags.Write(new { DualWriteMode = true });
        await using var host = await StartAsync(await CreateDatabaseAsync());

        var health = await host.Client.GetJsonAsync<JsonElement>("/health");

        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("DualWrite", health.GetProperty("backend").GetString());
        Assert.Equal("Healthy", health.GetProperty("backends").GetProperty("inMemory").GetProperty("status").GetString());
        Assert.Equal("Healthy", health.GetProperty("backends").GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal("PostgreSQL answers.", health.GetProperty("backends").GetProperty("postgres").GetProperty("description").GetString());
        Assert.Equal("DualWrite", health.GetProperty("phase").GetProperty("name").GetString());
        Assert.Equal(2, health.GetProperty("phase").GetProperty("number").GetInt32());
        Assert.Equal(new MigrationFlags(true, 0, false, false), Flags(health));
        Assert.Equal(0, health.GetProperty("journalDepth").GetInt32());
        Assert.Equal("Closed", health.GetProperty("breakerState").GetString());

        _flags.Write(new { DualWriteMode = true, ReadFromPostgresPercent = 10 });
        health = await PollHealthAsync(host.Client, h => Flags(h) == new MigrationFlags(true, 10, false, false));
        Assert.Equal(3, health.GetProperty("phase").GetProperty("number").GetInt32());
        Assert.Equal("ReadShift", health.GetProperty("phase").GetProperty("name").GetString());

        _flags.Write(new { DualWriteMode = true, ReadFromPostgresPercent = 100, PostgresPrimary = true });
        health = await PollHealthAsync(host.Client, h => Flags(h) == new MigrationFlags(true, 100, true, false));
        Assert.Equal(4, health.GetProperty("phase").GetProperty("number").GetInt32());
    }

    [Fact]
    public async Task Writes_through_the_host_reach_postgres_in_dual_write()
    {
        _flags.Write(new { DualWriteMode = true });
        var connectionString = await CreateDatabaseAsync();
        await using var host = await StartAsync(connectionString);

        var project = await (await host.Client.PutJsonAsync("/projects/npm/%40scope%2Fdual", new { version = "1.0.0" })).ReadAsync<Project>();
        var task = await (await host.Client.PostJsonAsync("/tasks", new NewAgentTask("dual", AgentTaskType.Spec))).ReadAsync<AgentTask>(HttpStatusCode.Created);

        Assert.Equal("@scope/dual", project.Name);
        Assert.Equal(1L, await CountAsync(connectionString, "SELECT count(*) FROM storage.projects WHERE ecosystem = 'npm' AND name = @key", project.Name));
        Assert.Equal(1L, await CountAsync(connectionString, "SELECT count(*) FROM storage.agent_tasks WHERE id = @key", task.Id));
    }

    private static MigrationFlags Flags(JsonElement health)
        => health.GetProperty("flags").Deserialize<MigrationFlags>(SampleHost.JsonOptions)!;

    private static async Task<JsonElement> PollHealthAsync(HttpClient client, Func<JsonElement, bool> until)
    {
        var clock = Stopwatch.StartNew();
        JsonElement health;
        do
        {
            health = await client.GetJsonAsync<JsonElement>("/health");
            if (until(health))
            {
                return health;
            }

            await Task.Delay(50);
        }
        while (clock.Elapsed < ReloadTimeout);

        Assert.Fail($"the host did not report the new flags within {ReloadTimeout.TotalSeconds} s; last /health: {health}");
        return health;
    }

    private static async Task<string> CreateDatabaseAsync()
        => await (await PostgresServer.GetAsync()).CreateDatabaseAsync("sample_host_tests");

    private Task<RunningHost> StartAsync(string connectionString)
        => RunningHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Storage:Backend"] = "DualWrite",
                ["Storage:Postgres:ConnectionString"] = connectionString,
                ["Storage:Postgres:ApplyMigrationsOnStartup"] = "true",
                ["Storage:DualWrite:JournalPath"] = _journal,
            },
            "--FlagsFile",
            _flags.Path);

    private static async Task<long> CountAsync(string connectionString, string sql, string key)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", key);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

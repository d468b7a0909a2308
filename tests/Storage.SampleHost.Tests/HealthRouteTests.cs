using System.Net;
using System.Text.Json;

namespace Storage.SampleHost.Tests;

public sealed class HealthRouteTests
{
    [Fact]
    public async Task The_in_memory_backend_is_healthy_without_migration_fields()
    {
        await using var host = await RunningHost.StartAsync();

        var health = await host.Client.GetJsonAsync<JsonElement>("/health");

        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("InMemory", health.GetProperty("backend").GetString());
        var backends = health.GetProperty("backends");
        Assert.Equal("Healthy", backends.GetProperty("inMemory").GetProperty("status").GetString());
        Assert.False(backends.TryGetProperty("postgres", out _));
        foreach (var field in new[] { "phase", "flags", "journalDepth", "breakerState" })
        {
            Assert.Equal(JsonValueKind.Null, health.GetProperty(field).ValueKind);
        }
    }

    [Fact]
    public async Task An_unreachable_postgres_backend_is_unhealthy_and_its_errors_are_500_without_secrets()
    {
        await using var host = await RunningHost.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Backend"] = "Postgres",
            ["Storage:Postgres:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=app;Password=S3cret-pw;Timeout=2",
            ["Storage:Postgres:MaxRetryAttempts"] = "0",
        });

        var healthResponse = await host.Client.GetAsync("/health");
        var health = await healthResponse.ReadAsync<JsonElement>(HttpStatusCode.ServiceUnavailable);
        var failed = await host.Client.GetAsync("/projects/npm/react");
        var problem = await failed.ProblemAsync(HttpStatusCode.InternalServerError);
        var text = problem.GetRawText();

        Assert.Equal("Unhealthy", health.GetProperty("status").GetString());
        Assert.Equal("Postgres", health.GetProperty("backend").GetString());
        Assert.Equal("Unhealthy", health.GetProperty("backends").GetProperty("postgres").GetProperty("status").GetString());
        Assert.False(health.GetProperty("backends").TryGetProperty("inMemory", out _));
        Assert.Equal(JsonValueKind.Null, health.GetProperty("flags").ValueKind);
        Assert.DoesNotContain("S3cret", health.GetRawText(), StringComparison.Ordinal);
        foreach (var secret in new[] { "S3cret", "Port=1", "Npgsql", "   at ", "Exception" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        Assert.True(problem.TryGetProperty("traceId", out _), text);
    }

    [Fact]
    public async Task Unknown_routes_are_404_problems()
    {
        await using var host = await RunningHost.StartAsync();

        await (await host.Client.GetAsync("/nothing/here")).ProblemAsync(HttpStatusCode.NotFound);
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using Storage.DualWrite;
using Storage.InMemory;
using Storage.Postgres;

namespace Storage.SampleHost;

/// <summary>
/// <c>GET /health</c>: the overall status (the worst of the backends'), each backend's state, and with the dual-write
/// backend the migration phase, the flags as the host sees them now, the repair journal's depth and the breaker state.
/// 200 when healthy or degraded, 503 when unhealthy.
/// </summary>
internal static class HealthEndpoint
{
    /// <summary>Maps the health route.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", GetAsync);
        return app;
    }

    private static async Task<IResult> GetAsync(HttpContext httpContext, IGraphStore store, CancellationToken cancellationToken)
    {
        var services = httpContext.RequestServices;
        var backends = new Dictionary<string, BackendHealth>(StringComparer.Ordinal);
        if (store is InMemoryGraphStore or DualWriteGraphStore)
        {
            backends["inMemory"] = new BackendHealth(HealthStatus.Healthy, "In memory: always up.");
        }

        if (services.GetService<HealthCheckService>() is { } checks)
        {
            const string name = StorageServiceCollectionExtensions.HealthCheckName;
            var report = await checks.CheckHealthAsync(registration => registration.Name == name, cancellationToken);
            if (report.Entries.TryGetValue(name, out var entry))
            {
                backends["postgres"] = new BackendHealth(entry.Status, entry.Description);
            }
        }

        var coordinator = services.GetService<DualWriteCoordinator>();
        var flags = services.GetService<MigrationFlagsMonitor>()?.Current;
        var status = backends.Count == 0 ? HealthStatus.Healthy : backends.Values.Min(backend => backend.Status);
        var health = new HostHealth(
            status,
            BackendName(store),
            backends,
            flags is null ? null : new PhaseInfo(flags.Phase.ToString(), (int)flags.Phase),
            flags,
            coordinator?.Journal.PendingCount,
            coordinator?.BreakerState.ToString());
        return TypedResults.Json(health, statusCode: status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    private static string BackendName(IGraphStore store) => store switch
    {
        DualWriteGraphStore => "DualWrite",
        PostgresGraphStore => "Postgres",
        InMemoryGraphStore => "InMemory",
        _ => store.GetType().Name,
    };

    /// <summary>The body of <c>GET /health</c>.</summary>
    /// <param name="Status">The worst status of the backends.</param>
    /// <param name="Backend">The configured backend: <c>InMemory</c>, <c>Postgres</c> or <c>DualWrite</c>.</param>
    /// <param name="Backends">By name (<c>inMemory</c>, <c>postgres</c>): the backends in use.</param>
    /// <param name="Phase">The migration phase in force; null without the dual-write backend.</param>
    /// <param name="Flags">The migration flags in force; null without the dual-write backend.</param>
    /// <param name="JournalDepth">Keys waiting in the repair journal; null without the dual-write backend.</param>
    /// <param name="BreakerState">The breaker guarding the non-authoritative backend; null without the dual-write backend.</param>
    internal sealed record HostHealth(
        HealthStatus Status,
        string Backend,
        IReadOnlyDictionary<string, BackendHealth> Backends,
        PhaseInfo? Phase,
        MigrationFlags? Flags,
        int? JournalDepth,
        string? BreakerState);

    /// <summary>One backend's state.</summary>
    internal sealed record BackendHealth(HealthStatus Status, string? Description);

    /// <summary>A migration phase: its name and number (1..5).</summary>
    internal sealed record PhaseInfo(string Name, int Number);
}

using Microsoft.Extensions.Configuration;
using Storage.Consistency;
using Storage.DualWrite;
using Storage.InMemory;
using Storage.Postgres;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the in-host consistency check between the two backends of <c>AddStorage</c>'s dual write.</summary>
public static class DualWriteConsistencyCheckServiceCollectionExtensions
{
    /// <summary>
    /// Registers the scheduled check (<see cref="ConsistencyCheckService"/>) of the in-memory stores against the
    /// PostgreSQL stores, with its options bound from <c>Storage:ConsistencyCheck</c>, and a
    /// <see cref="RepairJournalDriftSink"/> that hands every difference to the repair journal for the reconciler.
    /// Call it after <c>AddStorage</c> with <c>Storage:Backend</c> set to <c>DualWrite</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding <c>Storage:ConsistencyCheck</c>.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddDualWriteConsistencyCheck(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<IDriftSink>(sp => new RepairJournalDriftSink(sp.GetRequiredService<DualWriteCoordinator>()));
        return services.AddConsistencyCheck(
            sp => new LiveStoreSource(sp.GetRequiredService<InMemoryGraphStore>(), sp.GetRequiredService<InMemoryAgentTaskStore>(), "in-memory"),
            sp => new LiveStoreSource(sp.GetRequiredService<PostgresGraphStore>(), sp.GetRequiredService<PostgresAgentTaskStore>(), "postgres"),
            o => configuration.GetSection(ConsistencyCheckServiceOptions.SectionName).Bind(o));
    }
}

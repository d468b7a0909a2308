using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Storage.Abstractions;
using Storage.InMemory;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the in-memory backend.</summary>
public static class InMemoryStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IGraphStore"/> and <see cref="IAgentTaskStore"/> backed by memory (singletons), the
    /// shared <see cref="TimeProvider"/> and <see cref="IStorageIdGenerator"/> if none is registered, options
    /// validated at start, and a hosted service that loads <see cref="InMemoryStorageOptions.SnapshotPath"/> at start.
    /// </summary>
    public static IServiceCollection AddInMemoryStorage(this IServiceCollection services, Action<InMemoryStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<InMemoryStorageOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InMemoryStorageOptions>, InMemoryStorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IStorageIdGenerator>(sp => new GuidV7IdGenerator(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new InMemoryGraphStore(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IStorageIdGenerator>()));
        services.TryAddSingleton(sp => new InMemoryAgentTaskStore(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IStorageIdGenerator>()));
        services.TryAddSingleton<IGraphStore>(sp => sp.GetRequiredService<InMemoryGraphStore>());
        services.TryAddSingleton<IAgentTaskStore>(sp => sp.GetRequiredService<InMemoryAgentTaskStore>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, InMemorySnapshotLoader>());
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Storage.Consistency;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the scheduled consistency check.</summary>
public static class ConsistencyCheckServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ConsistencyCheckService"/> as a singleton and a hosted service, comparing the stores
    /// <paramref name="source"/> and <paramref name="target"/> build; <see cref="ConsistencyCheckServiceOptions"/>
    /// (validated at start); <see cref="ConsistencyTelemetry"/>; and, unless already registered, <see cref="TimeProvider.System"/>.
    /// The registered <see cref="IDriftSink"/>, if any, receives every differing key.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="source">Builds the side holding the data as it should be (for example the in-memory stores).</param>
    /// <param name="target">Builds the side checked against it (for example the PostgreSQL stores).</param>
    /// <param name="configure">Sets the options; the defaults when null.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddConsistencyCheck(
        this IServiceCollection services,
        Func<IServiceProvider, LiveStoreSource> source,
        Func<IServiceProvider, LiveStoreSource> target,
        Action<ConsistencyCheckServiceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);

        var options = services.AddOptions<ConsistencyCheckServiceOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConsistencyCheckServiceOptions>, ConsistencyCheckServiceOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ConsistencyTelemetry(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton(sp => new ConsistencyCheckSides(source(sp), target(sp)));
        services.TryAddSingleton(sp => new ConsistencyCheckService(
            sp.GetRequiredService<ConsistencyCheckSides>(),
            sp.GetRequiredService<IOptions<ConsistencyCheckServiceOptions>>(),
            sp.GetRequiredService<ConsistencyTelemetry>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ConsistencyCheckService>>(),
            sp.GetService<IDriftSink>()));
        services.AddHostedService(sp => sp.GetRequiredService<ConsistencyCheckService>());
        return services;
    }
}

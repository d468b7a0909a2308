using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Storage.Postgres;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL backend.</summary>
public static class PostgresStorageServiceCollectionExtensions
{
    /// <summary>
    /// The service key of the store's <see cref="NpgsqlDataSource"/>. It is a keyed service so that it neither takes
    /// the place of nor is replaced by a data source the application registers for other purposes.
    /// </summary>
    public const string DataSourceKey = "Storage.Postgres";

    /// <summary>
    /// Registers <see cref="PostgresStorageOptions"/> (validated at start), an <see cref="NpgsqlDataSource"/> whose
    /// search path is the configured schema (keyed <see cref="DataSourceKey"/>), <see cref="PostgresGraphStore"/> and <see cref="PostgresAgentTaskStore"/>
    /// as the singleton <see cref="IGraphStore"/> and <see cref="IAgentTaskStore"/>, and, unless already registered,
    /// <see cref="TimeProvider.System"/> and <see cref="GuidV7IdGenerator"/>. With
    /// <see cref="PostgresStorageOptions.ApplyMigrationsOnStartup"/>, a hosted service applies pending migrations at start.
    /// </summary>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, Action<PostgresStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<PostgresStorageOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresStorageOptions>, PostgresStorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IStorageIdGenerator>(sp => new GuidV7IdGenerator(sp.GetRequiredService<TimeProvider>()));
        services.TryAddKeyedSingleton(
            DataSourceKey,
            (sp, _) => PostgresStorageDataSource.Create(sp.GetRequiredService<IOptions<PostgresStorageOptions>>().Value));
        services.TryAddSingleton(sp => new PostgresGraphStore(
            sp.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IStorageIdGenerator>()));
        services.TryAddSingleton(sp => new PostgresAgentTaskStore(
            sp.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IStorageIdGenerator>()));
        services.TryAddSingleton<IGraphStore>(sp => sp.GetRequiredService<PostgresGraphStore>());
        services.TryAddSingleton<IAgentTaskStore>(sp => sp.GetRequiredService<PostgresAgentTaskStore>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgresMigrationHostedService>());
        return services;
    }
}

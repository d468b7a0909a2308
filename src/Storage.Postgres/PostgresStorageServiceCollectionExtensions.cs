using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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
    /// search path is the configured schema (keyed <see cref="DataSourceKey"/>; a multi-host data source when the
    /// connection string names several hosts; logging through the application's <see cref="ILoggerFactory"/> when
    /// there is one, never with parameter values), the <see cref="PostgresResilience"/> built from the options' retry
    /// settings, <see cref="PostgresGraphStore"/> and <see cref="PostgresAgentTaskStore"/> as the singleton
    /// <see cref="IGraphStore"/> and <see cref="IAgentTaskStore"/>, and, unless already registered,
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
        services.TryAddKeyedSingleton(DataSourceKey, (sp, _) => CreateDataSource(sp));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PostgresStorageOptions>>().Value;
            return new PostgresResilience(options.MaxRetryAttempts, options.RetryDelay, sp.GetService<ILogger<PostgresResilience>>());
        });
        services.TryAddSingleton(sp => new PostgresGraphStore(
            sp.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IStorageIdGenerator>(),
            sp.GetRequiredService<PostgresResilience>()));
        services.TryAddSingleton(sp => new PostgresAgentTaskStore(
            sp.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IStorageIdGenerator>(),
            sp.GetRequiredService<PostgresResilience>()));
        services.TryAddSingleton<IGraphStore>(sp => sp.GetRequiredService<PostgresGraphStore>());
        services.TryAddSingleton<IAgentTaskStore>(sp => sp.GetRequiredService<PostgresAgentTaskStore>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgresMigrationHostedService>());
        return services;
    }

    private static NpgsqlDataSource CreateDataSource(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<PostgresStorageOptions>>().Value;
        var builder = PostgresStorageDataSource.CreateBuilder(options.ConnectionString, options.Schema, options.CommandTimeout);
        builder.UseLoggerFactory(services.GetService<ILoggerFactory>());
        return builder.Build();
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.FeatureManagement;
using Npgsql;
using Storage.DualWrite;
using Storage.InMemory;
using Storage.Postgres;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The one storage entry point of a host: in-memory, PostgreSQL or dual-write, chosen by configuration.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>The configuration section of storage: <value>Storage</value>.</summary>
    public const string SectionName = "Storage";

    /// <summary>The name of the PostgreSQL health check: <value>storage-postgres</value>.</summary>
    public const string HealthCheckName = "storage-postgres";

    /// <summary>
    /// Registers <see cref="IGraphStore"/> and <see cref="IAgentTaskStore"/> for the backend named by <c>Storage:Backend</c>
    /// (<see cref="StorageBackend"/>; in-memory when unset): <c>Storage:InMemory</c> and <c>Storage:Postgres</c> configure
    /// the backends. For <see cref="StorageBackend.DualWrite"/>, also the decorators, <c>Storage:DualWrite</c>
    /// (<see cref="DualWriteOptions"/>), the migration flags (<see cref="MigrationSettings"/>, followed as configuration
    /// reloads, also shown as <see cref="MigrationFeatures"/> through Microsoft.FeatureManagement), the warm start and the
    /// reconciler. Options and flags are validated when the host starts; with PostgreSQL, a health check named
    /// <see cref="HealthCheckName"/> is registered.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>Storage:Backend</c> names no backend.</exception>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var storage = configuration.GetSection(SectionName);
        var backend = ReadBackend(storage["Backend"]);
        switch (backend)
        {
            case StorageBackend.InMemory:
                services.AddInMemoryStorage(o => storage.GetSection("InMemory").Bind(o));
                break;
            case StorageBackend.Postgres:
                services.AddPostgresStorage(o => storage.GetSection("Postgres").Bind(o));
                AddHealthCheck(services);
                break;
            default:
                AddDualWrite(services, configuration, storage);
                break;
        }

        return services;
    }

    private static StorageBackend ReadBackend(string? value)
        => string.IsNullOrWhiteSpace(value) ? StorageBackend.InMemory
            : Enum.TryParse<StorageBackend>(value.Trim(), ignoreCase: true, out var backend) && Enum.IsDefined(backend) && !int.TryParse(value, out _) ? backend
            : throw new InvalidOperationException($"{SectionName}:Backend must be InMemory, Postgres or DualWrite (got '{value}').");

    private static void AddDualWrite(IServiceCollection services, IConfiguration configuration, IConfigurationSection storage)
    {
        services.AddOptions<DualWriteOptions>().Configure(o => storage.GetSection("DualWrite").Bind(o)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DualWriteOptions>, DualWriteOptionsValidator>());
        services.AddSingleton<IValidateOptions<DualWriteOptions>>(new MigrationFlagsStartupValidator(configuration));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => MigrationFlagsMonitor.FromConfiguration(configuration, sp.GetService<ILogger<MigrationFlagsMonitor>>()));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DualWriteOptions>>().Value;
            return RepairJournal.Open(options.JournalPath, options.JournalFlushToDisk, sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<RepairJournal>>());
        });
        services.TryAddSingleton(sp => new DualWriteCoordinator(
            sp.GetRequiredService<MigrationFlagsMonitor>(),
            sp.GetRequiredService<RepairJournal>(),
            sp.GetRequiredService<IOptions<DualWriteOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton(sp => new DualWriteGraphStore(
            sp.GetRequiredService<InMemoryGraphStore>(), sp.GetRequiredService<PostgresGraphStore>(), sp.GetRequiredService<DualWriteCoordinator>()));
        services.TryAddSingleton(sp => new DualWriteAgentTaskStore(
            sp.GetRequiredService<InMemoryAgentTaskStore>(), sp.GetRequiredService<PostgresAgentTaskStore>(), sp.GetRequiredService<DualWriteCoordinator>()));

        // Registered before the backends, whose own registrations only fill what is still missing.
        services.TryAddSingleton<IGraphStore>(sp => sp.GetRequiredService<DualWriteGraphStore>());
        services.TryAddSingleton<IAgentTaskStore>(sp => sp.GetRequiredService<DualWriteAgentTaskStore>());
        services.AddInMemoryStorage(o => storage.GetSection("InMemory").Bind(o));
        services.AddPostgresStorage(o => storage.GetSection("Postgres").Bind(o));

        // After the in-memory snapshot loader: the warm start overwrites what the snapshot had with PostgreSQL's newer state.
        services.AddSingleton<IHostedService>(sp => new DualWriteWarmStart(
            sp.GetRequiredService<DualWriteGraphStore>(),
            sp.GetRequiredService<DualWriteAgentTaskStore>(),
            sp.GetRequiredService<MigrationFlagsMonitor>(),
            sp.GetService<ILogger<DualWriteWarmStart>>()));
        services.AddSingleton<IHostedService>(sp => new DualWriteReconciler(
            sp.GetRequiredService<DualWriteCoordinator>(),
            sp.GetRequiredService<IOptions<DualWriteOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<DualWriteReconciler>>()));

        services.TryAddSingleton(_ => new ConfigurationFeatureDefinitionProvider(configuration));
        services.TryAddSingleton<IFeatureDefinitionProvider>(sp => new MigrationFeatureDefinitionProvider(
            sp.GetRequiredService<MigrationFlagsMonitor>(), sp.GetRequiredService<ConfigurationFeatureDefinitionProvider>()));
        services.AddFeatureManagement();
        AddHealthCheck(services);
    }

    private static void AddHealthCheck(IServiceCollection services)
        => services.AddHealthChecks().Add(new HealthCheckRegistration(
            HealthCheckName,
            sp => new PostgresStorageHealthCheck(
                sp.GetRequiredKeyedService<NpgsqlDataSource>(PostgresStorageServiceCollectionExtensions.DataSourceKey),
                sp.GetService<DualWriteCoordinator>()),
            HealthStatus.Unhealthy,
            ["storage", "postgres"]));
}

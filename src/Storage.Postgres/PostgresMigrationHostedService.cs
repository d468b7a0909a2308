using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Storage.Postgres;

/// <summary>Applies pending migrations when the host starts, if <see cref="PostgresStorageOptions.ApplyMigrationsOnStartup"/> is set.</summary>
internal sealed partial class PostgresMigrationHostedService(
    [FromKeyedServices(PostgresStorageServiceCollectionExtensions.DataSourceKey)] NpgsqlDataSource dataSource,
    IOptions<PostgresStorageOptions> options,
    TimeProvider timeProvider,
    ILogger<PostgresMigrationHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.ApplyMigrationsOnStartup)
        {
            return;
        }

        var schema = options.Value.Schema;
        var applied = await PostgresMigrator.ApplyAsync(dataSource, schema, timeProvider, int.MaxValue, cancellationToken);
        if (applied.Count > 0)
        {
            LogApplied(logger, applied.Count, schema, applied);
        }
        else
        {
            LogUpToDate(logger, schema);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Applied {Count} migration(s) to schema {Schema}: {Versions}")]
    private static partial void LogApplied(ILogger logger, int count, string schema, IReadOnlyList<int> versions);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Schema {Schema} is up to date")]
    private static partial void LogUpToDate(ILogger logger, string schema);
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Storage.DualWrite;

/// <summary>
/// Reports whether the PostgreSQL backend answers (<c>SELECT 1</c>). With the dual-write decorator, the breaker state and
/// the journal depth are added to the report, and an open breaker or a non-empty journal makes it degraded.
/// </summary>
public sealed class PostgresStorageHealthCheck : IHealthCheck
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly DualWriteCoordinator? _coordinator;

    /// <summary>Creates the check.</summary>
    /// <param name="dataSource">The store's data source.</param>
    /// <param name="coordinator">The dual-write coordinator, when there is one.</param>
    public PostgresStorageHealthCheck(NpgsqlDataSource dataSource, DualWriteCoordinator? coordinator = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _coordinator = coordinator;
    }

    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        if (_coordinator is not null)
        {
            data["phase"] = (int)_coordinator.Flags.Current.Phase;
            data["journal_depth"] = _coordinator.Journal.PendingCount;
            data["breaker"] = _coordinator.BreakerState.ToString();
        }

        try
        {
            await using var command = _dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return new HealthCheckResult(context?.Registration.FailureStatus ?? HealthStatus.Unhealthy, "PostgreSQL does not answer.", ex, data);
        }

        return _coordinator is { } c && (c.Journal.PendingCount > 0 || c.BreakerState != Polly.CircuitBreaker.CircuitState.Closed)
            ? HealthCheckResult.Degraded("PostgreSQL answers; dual writes are catching up.", data: data)
            : HealthCheckResult.Healthy("PostgreSQL answers.", data);
    }
}

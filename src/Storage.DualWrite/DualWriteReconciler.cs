using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Storage.DualWrite;

/// <summary>
/// The background service that drains the repair journal: every <see cref="DualWriteOptions.ReconcileInterval"/> it
/// runs <see cref="DualWriteCoordinator.ReconcileAsync"/> (repeating at once while a pass repairs a full batch), except
/// in phase 1, where the target is switched off; and it works the shadow-comparison queue.
/// </summary>
public sealed class DualWriteReconciler : BackgroundService
{
    private readonly DualWriteCoordinator _coordinator;
    private readonly DualWriteOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    /// <param name="coordinator">The coordinator whose journal is drained.</param>
    /// <param name="options">The interval and batch size.</param>
    /// <param name="timeProvider">The clock of the pauses; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">For pass summaries and failures.</param>
    public DualWriteReconciler(DualWriteCoordinator coordinator, DualWriteOptions options, TimeProvider? timeProvider = null, ILogger<DualWriteReconciler>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        ArgumentNullException.ThrowIfNull(options);
        _coordinator = coordinator;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Runs passes until nothing is pending or <paramref name="maxPasses"/> passes ran; returns the keys still pending.</summary>
    public async Task<int> DrainAsync(int maxPasses = 10, CancellationToken cancellationToken = default)
    {
        for (var pass = 0; pass < maxPasses && _coordinator.Journal.PendingCount > 0; pass++)
        {
            var repaired = await _coordinator.ReconcileAsync(_options.ReconcileBatchSize, cancellationToken);
            DualWriteLog.ReconcilePass(_logger, repaired, _coordinator.Journal.PendingCount);
            if (repaired == 0)
            {
                break;
            }
        }

        return _coordinator.Journal.PendingCount;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var shadow = _coordinator.RunShadowComparisonsAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    // In phase 1 the target is switched off: keys wait in the journal until dual writes resume.
                    if (_coordinator.Journal.PendingCount > 0 && _coordinator.Flags.Current.Phase != MigrationPhase.SourceOnly)
                    {
                        var repaired = await _coordinator.ReconcileAsync(_options.ReconcileBatchSize, stoppingToken);
                        if (repaired > 0)
                        {
                            DualWriteLog.ReconcilePass(_logger, repaired, _coordinator.Journal.PendingCount);
                        }

                        if (repaired >= _options.ReconcileBatchSize)
                        {
                            continue;
                        }
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    DualWriteLog.ReconcilerFailed(_logger, ex);
                }

                await Task.Delay(_options.ReconcileInterval, _timeProvider, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        try
        {
            await shadow;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}

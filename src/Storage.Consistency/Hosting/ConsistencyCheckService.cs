using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Storage.Consistency;

/// <summary>
/// The in-host job: on a schedule, runs the <see cref="ConsistencyEngine"/> between two live store pairs (with a
/// recheck, so writes in flight are not drift), publishes the outcome as metrics (<see cref="ConsistencyTelemetry"/>)
/// and logs, and hands every differing key to the registered <see cref="IDriftSink"/> (the dual-write repair journal).
/// </summary>
/// <remarks>
/// A failed check is logged and counted, and the next runs on schedule. Checks never overlap. Register it with
/// <c>AddConsistencyCheck</c>. Thread safety: <see cref="RunOnceAsync"/> may be called from any thread; calls are serialized.
/// </remarks>
public sealed class ConsistencyCheckService : BackgroundService
{
    private readonly ConsistencyCheckSides _sides;
    private readonly ConsistencyCheckServiceOptions _options;
    private readonly ConsistencyTelemetry _telemetry;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IDriftSink? _sink;
    private readonly ConsistencyEngine _engine;
    // Never disposed: a check started through RunOnceAsync may still release it after the host has disposed the
    // service (a SemaphoreSlim holds nothing to free unless its wait handle is asked for).
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ConsistencyReport? _lastReport;

    /// <summary>Creates the job.</summary>
    /// <param name="sides">The stores to compare.</param>
    /// <param name="options">The schedule and limits (validated at start).</param>
    /// <param name="telemetry">Where results are published as metrics.</param>
    /// <param name="timeProvider">The clock for the schedule and the reports.</param>
    /// <param name="logger">Where results and failures are logged.</param>
    /// <param name="sink">Receives every differing key; none when null.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    public ConsistencyCheckService(
        ConsistencyCheckSides sides,
        IOptions<ConsistencyCheckServiceOptions> options,
        ConsistencyTelemetry telemetry,
        TimeProvider timeProvider,
        ILogger<ConsistencyCheckService> logger,
        IDriftSink? sink = null)
    {
        ArgumentNullException.ThrowIfNull(sides);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _sides = sides;
        _options = options.Value;
        _telemetry = telemetry;
        _timeProvider = timeProvider;
        _logger = logger;
        _sink = sink;
        _engine = new ConsistencyEngine(timeProvider);
    }

    /// <summary>The last completed check's report, or null before the first.</summary>
    public ConsistencyReport? LastReport => Volatile.Read(ref _lastReport);

    /// <summary>Runs one check now (waiting for a running one to end first), publishes it and returns its report.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <remarks>
    /// A drift sink that throws does not cut the check short: the check runs to its end and is published, then this
    /// throws the sink's exception (the run counts as failed). Any other failure of the check is thrown as it comes.
    /// </remarks>
    public async Task<ConsistencyReport> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        var started = _timeProvider.GetTimestamp();
        var sink = _sink is null ? null : new GuardedSink(_sink, _logger);
        try
        {
            ConsistencyLog.CheckStarted(_logger, _sides.Source.Description, _sides.Target.Description);
            var report = await _engine.CheckAsync(
                _sides.Source,
                _sides.Target,
                new ConsistencyCheckOptions
                {
                    SampleSize = _options.SampleSize,
                    SinkBatchSize = _options.BatchSize,
                    RecheckDelay = _options.RecheckDelay > TimeSpan.Zero ? _options.RecheckDelay : null,
                    RecheckLimit = _options.RecheckLimit,
                },
                sink,
                cancellationToken);
            var elapsed = _timeProvider.GetElapsedTime(started);
            Volatile.Write(ref _lastReport, report);
            if (sink?.Failure is null)
            {
                _telemetry.RecordRun(report, elapsed);
            }
            else
            {
                _telemetry.RecordFailedRun(report, elapsed);
            }

            Log(report, elapsed);
            if (sink?.Failure is { } failure)
            {
                // The check ran to its end and is published; handing its keys on failed, and that fails the run.
                ConsistencyLog.CheckFailed(_logger, failure.SourceException, elapsed.TotalSeconds);
                failure.Throw();
            }

            return report;
        }
        catch (Exception ex) when (!ReferenceEquals(ex, sink?.Failure?.SourceException)
            && (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            var elapsed = _timeProvider.GetElapsedTime(started);
            _telemetry.RecordFailure(elapsed);
            ConsistencyLog.CheckFailed(_logger, ex, elapsed.TotalSeconds);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            ConsistencyLog.Disabled(_logger);
            return;
        }

        ConsistencyLog.Scheduled(_logger, _options.Interval, _options.InitialDelay);
        try
        {
            await Task.Delay(_options.InitialDelay, _timeProvider, stoppingToken);
            using var timer = new PeriodicTimer(_options.Interval, _timeProvider);
            do
            {
                await RunScheduledAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private async Task RunScheduledAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunOnceAsync(stoppingToken);
        }
#pragma warning disable CA1031 // The job outlives one failed check: it is logged and counted by RunOnceAsync, and the next runs on schedule.
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            // Logged and counted by RunOnceAsync.
        }
    }

    private void Log(ConsistencyReport report, TimeSpan elapsed)
    {
        if (report.IsConsistent)
        {
            ConsistencyLog.CheckConsistent(_logger, report.Compared, report.ChangedSinceSnapshot, elapsed.TotalSeconds);
            return;
        }

        ConsistencyLog.CheckFoundDrift(
            _logger, report.Differences, report.MissingInTarget, report.ExtraInTarget, report.Different, report.Compared, elapsed.TotalSeconds);
        foreach (var kind in report.Kinds.Where(k => k.Differences > 0))
        {
            var keys = kind.MissingSample.Concat(kind.ExtraSample).Concat(kind.DifferentSample.Select(s => s.Key)).Take(10);
            ConsistencyLog.KindDrift(
                _logger,
                kind.Kind.Name(),
                kind.MissingInTarget,
                kind.ExtraInTarget,
                kind.Different,
                string.Join(", ", kind.DifferentFields.Keys),
                string.Join(", ", keys));
        }
    }

    /// <summary>
    /// Hands drift on to the configured sink until it fails once; then keeps the failure and drops the rest, so the check
    /// still runs to its end and its report and metrics are published (the run is then failed with the sink's error).
    /// </summary>
    private sealed class GuardedSink(IDriftSink inner, ILogger logger) : IDriftSink
    {
        public ExceptionDispatchInfo? Failure { get; private set; }

        private void Fail(Exception exception)
        {
            Failure = ExceptionDispatchInfo.Capture(exception);
            ConsistencyLog.SinkFailed(logger, exception);
        }

        public ValueTask OnDriftAsync(IReadOnlyList<Drift> drifts, CancellationToken cancellationToken)
            => GuardAsync(() => inner.OnDriftAsync(drifts, cancellationToken), cancellationToken);

        public ValueTask OnKindCompletedAsync(RecordKind kind, CancellationToken cancellationToken)
            => GuardAsync(() => inner.OnKindCompletedAsync(kind, cancellationToken), cancellationToken);

        private async ValueTask GuardAsync(Func<ValueTask> call, CancellationToken cancellationToken)
        {
            if (Failure is not null)
            {
                return;
            }

            try
            {
                await call();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Fail(ex);
            }
        }
    }
}

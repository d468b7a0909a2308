using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Storage.DualWrite;

/// <summary>
/// What the dual-write decorators of one host share: the flags, the repair journal, the striped key locks, the
/// resilience pipeline that guards the non-authoritative backend, and telemetry. Create one per host and pass it to
/// <see cref="DualWriteGraphStore"/>, <see cref="DualWriteAgentTaskStore"/> and <see cref="DualWriteReconciler"/>.
/// </summary>
/// <remarks>Thread safety: all members are safe for concurrent use.</remarks>
public sealed partial class DualWriteCoordinator : IDisposable
{
    private readonly CircuitBreakerStateProvider _breaker = new();
    private readonly Dictionary<EntityKind, IKeyRepairer> _repairers = [];
    private readonly Lock _repairersLock = new();
    private long _keylessReads;

    /// <summary>Creates the coordinator.</summary>
    /// <param name="flags">The flags in force.</param>
    /// <param name="journal">The repair journal (opened, and so replayed, already).</param>
    /// <param name="options">Timeouts, retries and breaker settings; defaults when null. Assumed valid (see <see cref="DualWriteOptionsValidator"/>).</param>
    /// <param name="resilienceTimeProvider">The clock of timeouts, retry delays and the breaker; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">For logs; none when null.</param>
    /// <param name="meterFactory">For metrics; a standalone meter when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="flags"/> or <paramref name="journal"/> is null.</exception>
    public DualWriteCoordinator(
        MigrationFlagsMonitor flags,
        RepairJournal journal,
        DualWriteOptions? options = null,
        TimeProvider? resilienceTimeProvider = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(journal);
        Flags = flags;
        Journal = journal;
        Options = options ?? new DualWriteOptions();
        Logger = (ILogger?)loggerFactory?.CreateLogger<DualWriteCoordinator>() ?? NullLogger.Instance;
        var resilienceTime = resilienceTimeProvider ?? TimeProvider.System;
        ReadPipeline = BuildReadPipeline(Options, resilienceTime, _breaker);
        Pipeline = BuildPipeline(Options, resilienceTime, ReadPipeline);
        Telemetry = new DualWriteTelemetry(meterFactory, () => journal.PendingCount, () => (int)BreakerState, () => flags.Current);
    }

    /// <summary>The flags in force.</summary>
    public MigrationFlagsMonitor Flags { get; }

    /// <summary>The repair journal.</summary>
    public RepairJournal Journal { get; }

    /// <summary>The metrics and traces.</summary>
    public DualWriteTelemetry Telemetry { get; }

    /// <summary>The state of the breaker that guards calls to the non-authoritative backend.</summary>
    public CircuitState BreakerState => _breaker.CircuitState;

    internal DualWriteOptions Options { get; }

    internal ILogger Logger { get; }

    internal ResiliencePipeline Pipeline { get; }

    internal ResiliencePipeline ReadPipeline { get; }

    internal KeyLocks Locks { get; } = new();

    /// <inheritdoc/>
    public void Dispose()
    {
        Telemetry.Dispose();
        Locks.Dispose();
    }

    /// <summary>The backend a keyed read goes to: the good side of a pending key, else by phase and the key's bucket. Allocates nothing.</summary>
    internal BackendRole RouteKeyed(in EntityKey key)
    {
        if (Journal.TryGetGoodSide(key, out var good))
        {
            return good;
        }

        var flags = Flags.Current;
        if (flags.Authoritative == BackendRole.Target)
        {
            return BackendRole.Target;
        }

        var percent = flags.DualWriteMode ? flags.ReadFromPostgresPercent : 0;
        return percent > 0 && key.Bucket < percent ? BackendRole.Target : BackendRole.Source;
    }

    /// <summary>
    /// The backend a read without a key goes to. While keys are pending repair, the backend that holds the good state of
    /// all of them (the authoritative one when they are on both sides); else the authoritative one in phases 1, 2, 4
    /// and 5, and in phase 3 the read share of calls (by a counter) goes to the target.
    /// </summary>
    internal BackendRole RouteKeyless()
    {
        var flags = Flags.Current;
        if (Journal.PendingCount > 0)
        {
            var onSource = Journal.PendingWithGoodSide(BackendRole.Source);
            var onTarget = Journal.PendingWithGoodSide(BackendRole.Target);
            return onSource > 0 && onTarget > 0 ? flags.Authoritative
                : onSource > 0 ? BackendRole.Source
                : onTarget > 0 ? BackendRole.Target
                : flags.Authoritative;
        }

        if (flags.Authoritative == BackendRole.Target)
        {
            return BackendRole.Target;
        }

        var percent = flags.DualWriteMode ? flags.ReadFromPostgresPercent : 0;
        if (percent == 0)
        {
            return BackendRole.Source;
        }

        var turn = (ulong)Interlocked.Increment(ref _keylessReads) % 100;
        return turn < (ulong)percent ? BackendRole.Target : BackendRole.Source;
    }

    /// <summary>Registers the repairer of some entity kinds (done by the decorators).</summary>
    internal void Register(IKeyRepairer repairer, params EntityKind[] kinds)
    {
        lock (_repairersLock)
        {
            foreach (var kind in kinds)
            {
                _repairers[kind] = repairer;
            }
        }
    }

    internal IKeyRepairer? RepairerOf(EntityKind kind)
    {
        lock (_repairersLock)
        {
            return _repairers.GetValueOrDefault(kind);
        }
    }

    /// <summary>Runs a call to a backend through the resilience pipeline (timeout, retry, breaker).</summary>
    internal ValueTask<T> GuardAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        => Pipeline.ExecuteAsync(static async (c, token) => await c(token), call, cancellationToken);

    /// <summary>Marks keys dirty with <paramref name="good"/> holding their good state, counting each new one.</summary>
    /// <param name="keys">The keys.</param>
    /// <param name="good">The backend holding their good state.</param>
    /// <param name="keepPending">Leave keys that are already pending as they are.</param>
    internal void MarkDirty(IEnumerable<EntityKey> keys, BackendRole good, bool keepPending = false)
    {
        foreach (var key in keys)
        {
            if (Journal.MarkDirty(key, good, keepPending))
            {
                Telemetry.JournalAdd(key.Kind);
            }
        }
    }

    /// <summary>
    /// The pipeline of reads of the non-authoritative backend: breaker, then a timeout per call (which also cancels the
    /// query). No retry: a failed read falls back to the authoritative backend at once.
    /// </summary>
    private static ResiliencePipeline BuildReadPipeline(DualWriteOptions options, TimeProvider timeProvider, CircuitBreakerStateProvider stateProvider)
        => new ResiliencePipelineBuilder { Name = DualWriteTelemetry.Name, TimeProvider = timeProvider }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakerBreakDuration,
                StateProvider = stateProvider,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not (StorageException or BrokenCircuitException)),
            })
            .AddTimeout(new TimeoutStrategyOptions { Timeout = options.SecondaryTimeout })
            .Build();

    /// <summary>The pipeline of writes and repairs: a brief retry of transient failures around the read pipeline (the same breaker).</summary>
    private static ResiliencePipeline BuildPipeline(DualWriteOptions options, TimeProvider timeProvider, ResiliencePipeline readPipeline)
    {
        if (options.SecondaryRetries == 0)
        {
            return readPipeline;
        }

        // Store errors (validation, not found, conflict) are answers, not faults: never retried, never counted by the breaker.
        var transient = new PredicateBuilder()
            .Handle<Exception>(ex => ex is not (StorageException or OperationCanceledException or BrokenCircuitException or IsolatedCircuitException));
        return new ResiliencePipelineBuilder { Name = DualWriteTelemetry.Name, TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.SecondaryRetries,
                Delay = options.SecondaryRetryDelay,
                BackoffType = DelayBackoffType.Constant,
                ShouldHandle = transient,
            })
            .AddPipeline(readPipeline)
            .Build();
    }
}

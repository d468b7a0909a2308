using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Storage.Postgres;

/// <summary>
/// How the PostgreSQL stores survive transient failures (Polly retry pipelines). Operations that are safe to repeat
/// (every read, each page of a stream, the imports, deleting a project and adding or removing an edge) are run
/// again after a transient failure (<see cref="IsTransient"/>), with a short exponential backoff and jitter. Writes
/// that are not idempotent (creating a contributor, asset, contribution or task, upserting a project, updating or
/// claiming a task) run once: they are retried only when nothing can have been written (the connection could not
/// be opened, or the server rolled the statement back after a deadlock or serialization failure); any other
/// failure reaches the caller. A cancelled operation is never retried.
/// </summary>
/// <remarks>
/// After a failure that broke the connection (<see cref="IsBrokenConnection"/>) the stores clear the data source's
/// pool (<see cref="NpgsqlDataSource.Clear"/>), so the next attempt opens a new connection instead of taking
/// another one that died with the server. Retries are logged at warning level with the SQLSTATE or exception type,
/// never with the connection string. Delays use the system clock, not the stores' <see cref="TimeProvider"/>.
/// Thread safety: immutable; one instance serves any number of stores and calls.
/// </remarks>
public sealed partial class PostgresResilience
{
    /// <summary>The default number of retries after the first attempt: <value>3</value>.</summary>
    public const int DefaultMaxRetryAttempts = 3;

    /// <summary>The most retries <see cref="PostgresStorageOptions.MaxRetryAttempts"/> accepts: <value>10</value>.</summary>
    public const int MaxAllowedRetryAttempts = 10;

    /// <summary>Imports re-run their checks this many times when a concurrent writer invalidated them.</summary>
    private const int ImportRaceRetries = 3;

    /// <summary>Caps the exponential backoff.</summary>
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger;

    /// <summary>Creates the retry pipelines.</summary>
    /// <param name="maxRetryAttempts">Retries after the first attempt, 0 to <see cref="MaxAllowedRetryAttempts"/>; 0 turns retries off.</param>
    /// <param name="retryDelay">The median delay before the first retry (later ones double, with jitter), 0 to 10 seconds.</param>
    /// <param name="logger">Where retries are logged; none by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of its range.</exception>
    public PostgresResilience(int maxRetryAttempts, TimeSpan retryDelay, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetryAttempts);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxRetryAttempts, MaxAllowedRetryAttempts);
        ArgumentOutOfRangeException.ThrowIfLessThan(retryDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(retryDelay, MaxDelay);
        MaxRetryAttempts = maxRetryAttempts;
        RetryDelay = retryDelay;
        _logger = logger ?? NullLogger.Instance;
        Idempotent = Build(IsTransient);
        RolledBack = Build(IsRolledBack);
        Imports = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<PostgresException>(IsImportRace),
                MaxRetryAttempts = ImportRaceRetries,
                Delay = TimeSpan.FromMilliseconds(20),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .AddPipeline(Idempotent)
            .Build();
    }

    /// <summary>
    /// <see cref="DefaultMaxRetryAttempts"/> retries, the first after about <see cref="DefaultRetryDelay"/>, not logged.
    /// What stores built without an explicit policy use.
    /// </summary>
    public static PostgresResilience Default { get; } = new(DefaultMaxRetryAttempts, DefaultRetryDelay);

    /// <summary>The default median delay before the first retry: <value>100 milliseconds</value>.</summary>
    public static TimeSpan DefaultRetryDelay { get; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Retries after the first attempt.</summary>
    public int MaxRetryAttempts { get; }

    /// <summary>The median delay before the first retry.</summary>
    public TimeSpan RetryDelay { get; }

    /// <summary>For operations that are safe to repeat: retries every transient failure.</summary>
    internal ResiliencePipeline Idempotent { get; }

    /// <summary>For statements that are not safe to repeat: retries only failures after which the server rolled the statement back.</summary>
    internal ResiliencePipeline RolledBack { get; }

    /// <summary>
    /// For imports: transient failures as <see cref="Idempotent"/>, and, a few times whatever
    /// <see cref="MaxRetryAttempts"/> says, a constraint violation caused by a concurrent writer between the
    /// import's check and its write (run again, the check reports the proper not-found or conflict error).
    /// </summary>
    internal ResiliencePipeline Imports { get; }

    /// <summary>
    /// True when <paramref name="exception"/> is a failure that may not happen again: Npgsql's own definition
    /// (<see cref="NpgsqlException.IsTransient"/>: a connection refused, reset or closed, a socket or I/O error,
    /// and the SQLSTATEs of serialization failure 40001, deadlock 40P01, administrator or crash shutdown 57P01/57P02,
    /// "cannot connect now" 57P03, the connection exceptions 08xxx, insufficient resources 53xxx such as too many
    /// connections, lock not available 55P03, system errors 58xxx) — except timeouts (the command or connection
    /// timeout elapsed: running it again would only make the caller wait as long again) and cancellations (57014, or
    /// any <see cref="OperationCanceledException"/>).
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            PostgresException pg => pg.IsTransient && pg.SqlState != PostgresErrorCodes.QueryCanceled,
            NpgsqlException npgsql => npgsql.IsTransient && !IsTimeout(npgsql),
            _ => false,
        };
    }

    /// <summary>
    /// True when <paramref name="exception"/> means the connection it happened on is gone, and other pooled
    /// connections to the same server probably are too: an I/O or socket failure, or the server ending sessions
    /// (57P01, 57P02, 57P03, 08xxx).
    /// </summary>
    public static bool IsBrokenConnection(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            PostgresException pg => pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                or PostgresErrorCodes.CannotConnectNow || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
            NpgsqlException npgsql => npgsql.IsTransient && !IsTimeout(npgsql),
            _ => false,
        };
    }

    /// <summary>A failure after which the server has rolled the statement's transaction back: nothing was written.</summary>
    internal static bool IsRolledBack(Exception exception)
        => exception is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected };

    /// <summary>Logs a stream that failed transiently part-way and continues from its last row (see <c>PostgresExecutor.ScanAsync</c>).</summary>
    internal void LogStreamRetry(Exception exception)
        => LogRetry(_logger, Describe(exception), 1, MaxRetryAttempts, 0, exception);

    private static bool IsImportRace(PostgresException exception)
        => exception.SqlState is PostgresErrorCodes.ForeignKeyViolation or PostgresErrorCodes.UniqueViolation;

    private static bool IsTimeout(NpgsqlException exception) => exception.InnerException is TimeoutException;

    private static string Describe(Exception exception)
        => exception is PostgresException pg ? pg.SqlState
            : exception.InnerException is { } inner ? $"{exception.GetType().Name} ({inner.GetType().Name})"
            : exception.GetType().Name;

    private ResiliencePipeline Build(Func<Exception, bool> shouldRetry)
    {
        if (MaxRetryAttempts == 0)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                // Polly gives up by itself once the operation's token is cancelled; a cancellation is never handled here.
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } ex && !args.Context.CancellationToken.IsCancellationRequested && shouldRetry(ex)),
                MaxRetryAttempts = MaxRetryAttempts,
                Delay = RetryDelay,
                MaxDelay = MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is { } ex)
                    {
                        LogRetry(_logger, Describe(ex), args.AttemptNumber + 1, MaxRetryAttempts, args.RetryDelay.TotalMilliseconds, ex);
                    }

                    return default;
                },
            })
            .Build();
    }

    [LoggerMessage(
        EventId = 10,
        Level = LogLevel.Warning,
        Message = "Transient PostgreSQL failure {Failure}; retry {Attempt} of {MaxAttempts} in {DelayMilliseconds:F0} ms")]
    private static partial void LogRetry(ILogger logger, string failure, int attempt, int maxAttempts, double delayMilliseconds, Exception exception);
}

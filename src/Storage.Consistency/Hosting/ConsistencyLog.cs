using Microsoft.Extensions.Logging;

namespace Storage.Consistency;

/// <summary>The log messages of the scheduled consistency check (source-generated).</summary>
internal static partial class ConsistencyLog
{
    [LoggerMessage(1, LogLevel.Information, "Consistency check started: {Source} against {Target}")]
    public static partial void CheckStarted(ILogger logger, string source, string target);

    [LoggerMessage(2, LogLevel.Information, "Consistency check passed: {Compared} records compared, {Changed} changed during the check, in {Seconds:F1} s")]
    public static partial void CheckConsistent(ILogger logger, long compared, long changed, double seconds);

    [LoggerMessage(3, LogLevel.Warning, "Consistency check found {Differences} differences ({Missing} missing in the target, {Extra} extra, {Different} different) among {Compared} records, in {Seconds:F1} s")]
    public static partial void CheckFoundDrift(ILogger logger, long differences, long missing, long extra, long different, long compared, double seconds);

    [LoggerMessage(4, LogLevel.Warning, "Drift in {Kind}: {Missing} missing in the target, {Extra} extra, {Different} different (fields {Fields}); first keys: {Keys}")]
    public static partial void KindDrift(ILogger logger, string kind, long missing, long extra, long different, string fields, string keys);

    [LoggerMessage(5, LogLevel.Error, "Consistency check failed after {Seconds:F1} s; the next one runs on schedule")]
    public static partial void CheckFailed(ILogger logger, Exception exception, double seconds);

    [LoggerMessage(6, LogLevel.Information, "Consistency check scheduled every {Interval}, first in {InitialDelay}")]
    public static partial void Scheduled(ILogger logger, TimeSpan interval, TimeSpan initialDelay);

    [LoggerMessage(7, LogLevel.Information, "Consistency check disabled by configuration")]
    public static partial void Disabled(ILogger logger);

    [LoggerMessage(8, LogLevel.Warning, "The drift sink failed; the check goes on without handing it the rest of the differences")]
    public static partial void SinkFailed(ILogger logger, Exception exception);
}

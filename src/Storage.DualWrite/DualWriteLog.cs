using Microsoft.Extensions.Logging;

namespace Storage.DualWrite;

/// <summary>The log messages of the dual-write decorators (source-generated).</summary>
internal static partial class DualWriteLog
{
    [LoggerMessage(1, LogLevel.Information, "Migration flags changed: phase {OldPhase} ({OldPercent}% reads from PostgreSQL) -> phase {NewPhase} ({NewPercent}%)")]
    public static partial void FlagsChanged(ILogger logger, MigrationPhase oldPhase, int oldPercent, MigrationPhase newPhase, int newPercent);

    [LoggerMessage(2, LogLevel.Error, "Invalid migration flags at reload, keeping phase {Phase} ({Percent}%): {Problem}")]
    public static partial void InvalidFlagsAtReload(ILogger logger, string problem, MigrationPhase phase, int percent);

    [LoggerMessage(3, LogLevel.Warning, "Write of {Key} to the {Backend} backend failed ({Operation}); journaled for repair")]
    public static partial void SecondaryWriteFailed(ILogger logger, Exception exception, string key, string backend, string operation);

    [LoggerMessage(4, LogLevel.Error, "Could not append {Key} to the repair journal {Path}; it stays pending in memory only")]
    public static partial void JournalWriteFailed(ILogger logger, Exception exception, string key, string path);

    [LoggerMessage(5, LogLevel.Warning, "Skipped unreadable line {Line} of the repair journal {Path}: {Problem}")]
    public static partial void JournalLineSkipped(ILogger logger, string path, int line, string problem);

    [LoggerMessage(6, LogLevel.Information, "Repair journal {Path} opened with {Pending} pending keys")]
    public static partial void JournalOpened(ILogger logger, string path, int pending);

    [LoggerMessage(7, LogLevel.Debug, "Repair of {Key} from the {Backend} backend failed; it stays pending")]
    public static partial void RepairFailed(ILogger logger, Exception exception, string key, string backend);

    [LoggerMessage(8, LogLevel.Information, "Reconciler pass: {Repaired} keys repaired, {Pending} pending")]
    public static partial void ReconcilePass(ILogger logger, int repaired, int pending);

    [LoggerMessage(9, LogLevel.Warning, "{Key} has a pending repair from the {Backend} backend that could not be applied before a write; the write is refused")]
    public static partial void RepairLostToWrite(ILogger logger, Exception exception, string key, string backend);

    [LoggerMessage(10, LogLevel.Warning, "Shadow read of {Key} differs between the backends in {Fields}")]
    public static partial void ShadowMismatch(ILogger logger, string key, string fields);

    [LoggerMessage(11, LogLevel.Information, "Warm start: loaded {Count} records of {Kind} from the target into the source")]
    public static partial void WarmStartLoaded(ILogger logger, string kind, long count);

    [LoggerMessage(12, LogLevel.Error, "Reconciler pass failed")]
    public static partial void ReconcilerFailed(ILogger logger, Exception exception);
}

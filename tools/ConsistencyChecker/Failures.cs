using ConsistencyChecker.Stores;
using Npgsql;
using Storage.Consistency;
using Storage.InMemory;
using Storage.Postgres;

namespace ConsistencyChecker;

/// <summary>
/// Turns what went wrong into an exit code and one line saying what is wrong and what to do: no stack trace, and no
/// password (every password value of the connection strings in use is blanked out).
/// </summary>
internal static class Failures
{
    /// <summary>A cancellation outside a command's run.</summary>
    public const string Cancelled = "cancelled: stopped before the end";

    /// <summary>What a cancelled <c>check</c> left.</summary>
    public const string CheckCancelled = "cancelled: stopped before the end; a check writes nothing, so run it again to get its report";

    /// <summary>What a cancelled repair left.</summary>
    public const string RepairCancelled =
        "cancelled: stopped before the end; each repair batch is written whole or not at all, so running the same command again completes it";

    /// <summary>What a cancelled <c>export</c> left.</summary>
    public const string ExportCancelled =
        "cancelled: stopped before the end; no snapshot was written and an existing output file is left as it was, so run it again";

    /// <summary>What a cancelled <c>migrate</c> left.</summary>
    public const string MigrateCancelled =
        "cancelled: stopped before the end; the pending migrations are applied in one transaction, so none was, and running the same command again applies them";

    /// <summary>The exit code and message for <paramref name="exception"/>.</summary>
    /// <param name="exception">What was thrown.</param>
    /// <param name="stores">The stores in use: the PostgreSQL ones are named in a PostgreSQL failure, and their passwords are not printed.</param>
    /// <param name="cancelled">The message for a cancellation: what the command leaves (<see cref="CheckCancelled"/>...).</param>
    /// <param name="cancellationToken">The run's token: a cancellation it caused is exit code 130.</param>
    public static (ExitCode Code, string Message) Describe(
        Exception exception, IEnumerable<StoreArgument> stores, string cancelled, CancellationToken cancellationToken)
    {
        // A repair that stopped after committing part of its writes: the cause decides the code, and the message says
        // what was written instead of promising nothing was.
        var (cause, committed, finishing) = exception is RepairStoppedException { InnerException: { } inner } stopped
            ? (inner, stopped.Committed, stopped.FinishingLoad)
            : (exception, 0L, false);
        var postgres = stores.Where(s => s.IsPostgres).ToList();
        var (code, message) = (cause, finishing) switch
        {
            (PostgresIndexBuildException build, _) => IndexBuild(build, committed, postgres),
            (_, true) => FinishingLoad(cause, committed, postgres, cancellationToken),
            _ => Describe(cause, committed, postgres, cancelled, cancellationToken),
        };
        return (code, CliConsole.OneLine(PostgresStore.Redact(message, postgres.Select(s => s.Value))));
    }

    private static (ExitCode Code, string Message) Describe(
        Exception exception, long committed, IReadOnlyList<StoreArgument> postgres, string cancelled, CancellationToken cancellationToken)
    {
        var written = committed > 0
            ? $"{committed:N0} records had been written before it stopped (the repair writes only what is still missing, so running it again completes it)"
            : null;
        var (code, message) = exception switch
        {
            CheckerFailure failure => (failure.ExitCode, failure.Message),
            RepairCancelledException after when cancellationToken.IsCancellationRequested => (ExitCode.Cancelled, CancelledAfterCommit(after)),
            OperationCanceledException when cancellationToken.IsCancellationRequested => (ExitCode.Cancelled, cancelled),
            SnapshotFormatException snapshot when written is not null => (ExitCode.BadInput,
                $"the snapshot cannot be used: {snapshot.Message}; it changed after it was checked, and {written}. Take the snapshot again (ConsistencyChecker export), then repair from it"),
            SnapshotFormatException snapshot => (ExitCode.BadInput,
                $"the snapshot cannot be used: {snapshot.Message}; nothing was written. Check the path, or take the snapshot again (ConsistencyChecker export)"),
            NpgsqlException npgsql => Postgres(npgsql, Name(postgres)),
            IOException or UnauthorizedAccessException => (ExitCode.BadInput,
                $"a file cannot be read or written ({exception.Message}): check the path and its permissions"),
            _ => (ExitCode.Failed,
                $"the run failed ({exception.GetType().Name}: {exception.Message}); nothing more was written. This is not a connection problem: report it, with this line"),
        };
        return written is null || exception is SnapshotFormatException ? (code, message) : (code, $"{message}; {written}");
    }

    /// <summary>
    /// A failure while the indexes of a committed bulk load were built (a lost connection): the cause's code and line,
    /// and what stays.
    /// </summary>
    private static (ExitCode Code, string Message) FinishingLoad(
        Exception cause, long committed, IReadOnlyList<StoreArgument> postgres, CancellationToken cancellationToken)
    {
        var (code, message) = Describe(cause, 0, postgres, Cancelled, cancellationToken);
        return (code, $"{message}; this came {WhileBuildingIndexes(committed)}");
    }

    /// <summary>What a repair cancelled after part of it was committed left.</summary>
    private static string CancelledAfterCommit(RepairCancelledException cancelled) => cancelled.FinishingLoad
        ? $"cancelled {WhileBuildingIndexes(cancelled.Committed)}"
        : $"cancelled: stopped before the end; {cancelled.Committed:N0} records had been written (in whole batches or committed bulk loads) and stay; running the same command again writes only what is still missing, and completes it";

    /// <summary>What a repair stopped after a bulk load's commit, while its indexes were being built, left.</summary>
    private static string WhileBuildingIndexes(long committed)
        => $"while building the indexes of the tables it bulk-loaded: {committed:N0} records in all are committed, and the indexes not built yet stay listed in pending_index_builds, for the next repair or migrate to build";

    /// <summary>An index a repair's bulk load left to build after its commit was not built: the records are written.</summary>
    private static (ExitCode Code, string Message) IndexBuild(PostgresIndexBuildException build, long committed, IReadOnlyList<StoreArgument> postgres)
        => (CodeOf(build, Name(postgres)), $"{committed:N0} records are committed, but {build.Message}, for the next repair or migrate to build");

    /// <summary>The exit code of an index build that failed: its server error's, or 2 for a list or definition refused.</summary>
    public static ExitCode CodeOf(PostgresIndexBuildException build, string store)
        => build.InnerException is NpgsqlException inner ? Postgres(inner, store).Code : ExitCode.BadInput;

    /// <summary>
    /// The PostgreSQL store a failure came from, as messages name it: <c>the target (postgres host:port/db schema s)</c>;
    /// with two, both (a failure does not say which connection it came from).
    /// </summary>
    private static string Name(IReadOnlyList<StoreArgument> postgres) => postgres switch
    {
        [var store] => $"the {store.Role} ({store.Describe()})",
        [var first, var second] => $"PostgreSQL (the {first.Role}, {first.Describe()}, or the {second.Role}, {second.Describe()})",
        _ => "PostgreSQL",
    };

    /// <summary>The exit code and message for a PostgreSQL failure of the store named <paramref name="store"/>.</summary>
    public static (ExitCode Code, string Message) Postgres(NpgsqlException exception, string store)
    {
        if (exception is PostgresException pg)
        {
            return pg.SqlState switch
            {
                PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification => (ExitCode.BadInput,
                    $"{store} refused the login ({pg.MessageText}): check the user name and password in the connection string"),
                PostgresErrorCodes.InvalidCatalogName => (ExitCode.BadInput,
                    $"{store}: {pg.MessageText}: check Database= in the connection string"),
                PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName => (ExitCode.BadInput,
                    $"{store}: {pg.MessageText}: check the schema option, or run ConsistencyChecker migrate first"),
                PostgresErrorCodes.InsufficientPrivilege => (ExitCode.BadInput,
                    $"{store}: permission denied ({pg.MessageText}): use a role that may read the storage tables (and write them, to repair)"),
                _ when IsPassing(pg.SqlState) => (ExitCode.StoreUnreachable,
                    $"{store} failed ({pg.SqlState}: {pg.MessageText}): check the server and its log, then run again"),
                _ => (ExitCode.Failed,
                    $"{store} refused the run ({pg.SqlState}: {pg.MessageText}); nothing more was written. This is not a connection problem: report it, with this line"),
            };
        }

        var cause = exception.GetBaseException().Message;

        return (ExitCode.StoreUnreachable,
            $"cannot reach {store} ({cause}): check that the server is running and that Host and Port in the connection string are right");
    }

    /// <summary>
    /// Whether a server error passes when the run is tried again: the connection or the server's resources (classes 08,
    /// 53), an operator or a time limit stopping the statement (57), a conflict with another transaction (40, 55P03).
    /// </summary>
    private static bool IsPassing(string sqlState)
        => sqlState.StartsWith("08", StringComparison.Ordinal)
            || sqlState.StartsWith("53", StringComparison.Ordinal)
            || sqlState.StartsWith("57", StringComparison.Ordinal)
            || sqlState.StartsWith("40", StringComparison.Ordinal)
            || sqlState == PostgresErrorCodes.LockNotAvailable;
}

using ConsistencyChecker;
using ConsistencyChecker.Stores;
using Npgsql;

namespace Storage.Consistency.Tests;

/// <summary>
/// The tool's failure lines: an exit code a scheduled job can act on, one line, no password. A fault that is not a
/// connection problem must not read as one (exit 3 tells a job to try again later).
/// </summary>
public sealed class FailuresTests
{
    private const string ConnectionString = "Host=db;Database=app;Username=app;Password=s3cret-pw";

    [Fact]
    public void A_fault_of_the_tool_exits_4_and_does_not_say_to_retry()
    {
        var (code, message) = Failures.Describe(
            new InvalidOperationException("a record with s3cret-pw\nin it"), Target(ConnectionString), Failures.CheckCancelled, CancellationToken.None);

        Assert.Equal(ExitCode.Failed, code);
        Assert.Equal(4, (int)code);
        Assert.Contains("report it", message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void A_repair_that_stopped_after_writing_says_how_much_it_wrote_and_keeps_its_cause_s_exit_code()
    {
        var snapshot = new RepairStoppedException(1_234, new Storage.InMemory.SnapshotFormatException("s.jsonl", 9, "has data after the end line"));
        var server = new RepairStoppedException(5, new PostgresException("terminating connection", "FATAL", "FATAL", "57P01"));

        var (snapshotCode, snapshotMessage) = Failures.Describe(snapshot, Target(ConnectionString), Failures.RepairCancelled, CancellationToken.None);
        var (serverCode, serverMessage) = Failures.Describe(server, Target(ConnectionString), Failures.RepairCancelled, CancellationToken.None);

        Assert.Equal(ExitCode.BadInput, snapshotCode);
        Assert.Contains("s.jsonl line 9: has data after the end line", snapshotMessage, StringComparison.Ordinal);
        Assert.Contains("1,234 records had been written before it stopped", snapshotMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("nothing was written", snapshotMessage, StringComparison.Ordinal);
        Assert.Equal(ExitCode.StoreUnreachable, serverCode);
        Assert.EndsWith("5 records had been written before it stopped (the repair writes only what is still missing, so running it again completes it)",
            serverMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repair_that_lost_its_server_while_building_indexes_after_its_commit_says_the_records_stay_and_the_indexes_wait()
    {
        var lost = new RepairStoppedException(5, new NpgsqlException("Exception while reading from stream", new IOException("Connection reset by peer")))
        {
            FinishingLoad = true,
        };

        var (code, message) = Failures.Describe(lost, Target(ConnectionString), Failures.RepairCancelled, CancellationToken.None);

        Assert.Equal(ExitCode.StoreUnreachable, code);
        Assert.StartsWith("cannot reach the target (postgres ", message, StringComparison.Ordinal);
        Assert.EndsWith(
            "; this came while building the indexes of the tables it bulk-loaded: 5 records in all are committed, and the indexes not built yet stay listed in pending_index_builds, for the next repair or migrate to build",
            message,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "cancelled: stopped before the end; 1,234 records had been written (in whole batches or committed bulk loads) and stay; running the same command again writes only what is still missing, and completes it")]
    [InlineData(true, "cancelled while building the indexes of the tables it bulk-loaded: 1,234 records in all are committed, and the indexes not built yet stay listed in pending_index_builds, for the next repair or migrate to build")]
    public void A_repair_cancelled_after_a_commit_says_what_stays(bool finishingLoad, string expected)
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var cancelled = new RepairCancelledException(1_234, finishingLoad, new OperationCanceledException(cancel.Token), cancel.Token);

        var (code, message) = Failures.Describe(cancelled, Target(ConnectionString), Failures.RepairCancelled, cancel.Token);

        Assert.Equal(ExitCode.Cancelled, code);
        Assert.Equal(expected, message);
    }

    [Fact]
    public void A_repair_whose_index_build_failed_after_its_commit_says_its_records_are_committed_once()
    {
        var build = new RepairStoppedException(
            4_400, new Storage.Postgres.PostgresIndexBuildException("projects_name_trgm_idx", "projects", "XX000: it went wrong",
                new PostgresException("it went wrong", "ERROR", "ERROR", "XX000")));

        var (code, message) = Failures.Describe(build, Target(ConnectionString), Failures.RepairCancelled, CancellationToken.None);

        Assert.Equal(ExitCode.Failed, code);
        Assert.Equal(
            "4,400 records are committed, but building the index projects_name_trgm_idx on projects failed (XX000: it went wrong); it stays listed in pending_index_builds, for the next repair or migrate to build",
            message);
    }

    [Theory]
    [InlineData("08006", 3)] // connection failure
    [InlineData("57P01", 3)] // administrator shutdown
    [InlineData("57014", 3)] // statement timeout
    [InlineData("40P01", 3)] // deadlock
    [InlineData("55P03", 3)] // lock not available
    [InlineData("53300", 3)] // too many connections
    [InlineData("22P02", 4)] // a value the server cannot read: trying again will not help
    [InlineData("23505", 4)] // a unique violation
    [InlineData("XX000", 4)] // an internal error of the server
    public void A_server_error_exits_3_only_when_trying_again_can_pass(string sqlState, int exitCode)
    {
        var error = new PostgresException("it went wrong", "ERROR", "ERROR", sqlState);

        var (code, message) = Failures.Describe(error, Target(ConnectionString), Failures.CheckCancelled, CancellationToken.None);

        Assert.Equal(exitCode, (int)code);
        Assert.Contains(sqlState, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db;PWD=pw-one", "pw-one")]
    [InlineData("Host=db;psw=pw-two", "pw-two")]
    [InlineData("Host=db;Password='pw;three'", "pw;three")]
    [InlineData("Host=db; Password = pw-four ;Port=5432", "pw-four")]
    public void No_spelling_of_a_password_is_printed(string connectionString, string password)
    {
        var (_, message) = Failures.Describe(new InvalidOperationException($"failed with {password} in it"), Target(connectionString), Failures.CheckCancelled, CancellationToken.None);

        Assert.DoesNotContain(password, message, StringComparison.Ordinal);
        Assert.Contains("***", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("57P01", "failed")]
    [InlineData("XX000", "refused the run")]
    public void A_server_error_during_the_run_names_the_store(string sqlState, string what)
    {
        var error = new PostgresException("it went wrong", "FATAL", "FATAL", sqlState);

        var (_, message) = Failures.Describe(error, Target(ConnectionString), Failures.CheckCancelled, CancellationToken.None);

        Assert.StartsWith($"the target (postgres db:5432/app schema app) {what} ({sqlState}: it went wrong)", message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_error_with_two_postgres_stores_names_both()
    {
        StoreArgument[] stores = [new("--source", "Host=one;Database=a;Password=s3cret-pw", "s1"), new("--target", "Host=two;Database=b;Password=pw-two", "s2")];

        var (_, message) = Failures.Describe(new NpgsqlException("Exception while reading from stream"), stores, Failures.CheckCancelled, CancellationToken.None);

        Assert.StartsWith(
            "cannot reach PostgreSQL (the source, postgres one:5432/a schema s1, or the target, postgres two:5432/b schema s2)",
            message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_lost_connection_exits_3()
    {
        var (code, message) = Failures.Describe(new NpgsqlException("Exception while reading from stream"), Target(ConnectionString), Failures.CheckCancelled, CancellationToken.None);

        Assert.Equal(ExitCode.StoreUnreachable, code);
        Assert.Contains("cannot reach", message, StringComparison.Ordinal);
    }

    private static StoreArgument[] Target(string connectionString) => [new("--target", connectionString, "app")];
}

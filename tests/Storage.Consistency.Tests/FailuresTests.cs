using ConsistencyChecker;
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
            new InvalidOperationException("a record with s3cret-pw\nin it"), [ConnectionString], CancellationToken.None);

        Assert.Equal(ExitCode.Failed, code);
        Assert.Equal(4, (int)code);
        Assert.Contains("report it", message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void A_lost_connection_exits_3()
    {
        var (code, message) = Failures.Describe(new NpgsqlException("Exception while reading from stream"), [ConnectionString], CancellationToken.None);

        Assert.Equal(ExitCode.StoreUnreachable, code);
        Assert.Contains("cannot reach", message, StringComparison.Ordinal);
    }
}

using System.Net.Sockets;
using Npgsql;
using Polly;
using Storage.Postgres.Tests.Faults;

namespace Storage.Postgres.Tests;

/// <summary>Which failures <see cref="PostgresResilience"/> retries for which kind of operation, without a server.</summary>
public sealed class ResilienceTests
{
    [Theory]
    [InlineData(PostgresErrorCodes.SerializationFailure, true)]
    [InlineData(PostgresErrorCodes.DeadlockDetected, true)]
    [InlineData(PostgresErrorCodes.AdminShutdown, true)]
    [InlineData(PostgresErrorCodes.CrashShutdown, true)]
    [InlineData(PostgresErrorCodes.CannotConnectNow, true)]
    [InlineData(PostgresErrorCodes.ConnectionFailure, true)]
    [InlineData(PostgresErrorCodes.SqlClientUnableToEstablishSqlConnection, true)]
    [InlineData(PostgresErrorCodes.TooManyConnections, true)]
    [InlineData(PostgresErrorCodes.QueryCanceled, false)]
    [InlineData(PostgresErrorCodes.UniqueViolation, false)]
    [InlineData(PostgresErrorCodes.InvalidPassword, false)]
    [InlineData(PostgresErrorCodes.UndefinedTable, false)]
    [InlineData(PostgresErrorCodes.ReadOnlySqlTransaction, false)]
    public void Server_errors_are_transient_by_their_sqlstate(string sqlState, bool transient)
        => Assert.Equal(transient, PostgresResilience.IsTransient(ServerError(sqlState)));

    [Fact]
    public void Connection_failures_are_transient_but_timeouts_and_other_exceptions_are_not()
    {
        Assert.True(PostgresResilience.IsTransient(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.True(PostgresResilience.IsTransient(new NpgsqlException("Exception while reading from stream", new EndOfStreamException())));
        Assert.True(PostgresResilience.IsTransient(new NpgsqlException("Exception while writing to stream", new IOException("reset"))));
        Assert.False(PostgresResilience.IsTransient(new NpgsqlException("Exception while reading from stream", new TimeoutException())));
        Assert.False(PostgresResilience.IsTransient(new NpgsqlException("plain")));
        Assert.False(PostgresResilience.IsTransient(new OperationCanceledException()));
        Assert.False(PostgresResilience.IsTransient(new InvalidOperationException()));
    }

    [Fact]
    public void A_broken_connection_is_one_the_server_or_the_network_ended()
    {
        Assert.True(PostgresResilience.IsBrokenConnection(ServerError(PostgresErrorCodes.AdminShutdown)));
        Assert.True(PostgresResilience.IsBrokenConnection(ServerError(PostgresErrorCodes.ConnectionFailure)));
        Assert.True(PostgresResilience.IsBrokenConnection(new NpgsqlException("reset", new IOException())));
        Assert.False(PostgresResilience.IsBrokenConnection(ServerError(PostgresErrorCodes.DeadlockDetected)));
        Assert.False(PostgresResilience.IsBrokenConnection(new NpgsqlException("timeout", new TimeoutException())));
    }

    [Fact]
    public async Task Operations_safe_to_repeat_are_retried_after_transient_failures_and_each_retry_is_logged()
    {
        var log = new CapturingLoggerFactory();
        var resilience = new PostgresResilience(3, TimeSpan.Zero, log.CreateLogger("retries"));
        var attempts = 0;

        var result = await resilience.Idempotent.ExecuteAsync(_ => ++attempts < 3 ? throw ServerError(PostgresErrorCodes.AdminShutdown) : ValueTask.FromResult(attempts));

        Assert.Equal(3, result);
        Assert.Equal(2, log.Retries.Count);
        Assert.All(log.Retries, r => Assert.Contains(PostgresErrorCodes.AdminShutdown, r.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retries_stop_after_MaxRetryAttempts_and_the_last_error_reaches_the_caller()
    {
        var resilience = new PostgresResilience(2, TimeSpan.Zero);
        var attempts = 0;

        var error = await Assert.ThrowsAsync<PostgresException>(() => resilience.Idempotent.ExecuteAsync<int>(_ =>
        {
            attempts++;
            throw ServerError(PostgresErrorCodes.CannotConnectNow);
        }).AsTask());

        Assert.Equal(3, attempts);
        Assert.Equal(PostgresErrorCodes.CannotConnectNow, error.SqlState);
    }

    [Theory]
    [InlineData(PostgresErrorCodes.UniqueViolation)]
    [InlineData(PostgresErrorCodes.InvalidPassword)]
    public async Task Errors_that_are_not_transient_are_never_retried(string sqlState)
    {
        var attempts = 0;
        await Assert.ThrowsAsync<PostgresException>(() => PostgresResilience.Default.Idempotent.ExecuteAsync<int>(_ =>
        {
            attempts++;
            throw ServerError(sqlState);
        }).AsTask());

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task A_cancelled_operation_is_never_retried()
    {
        using var cancellation = new CancellationTokenSource();
        var attempts = 0;

        await Assert.ThrowsAsync<PostgresException>(() => PostgresResilience.Default.Idempotent.ExecuteAsync<int>(
            _ =>
            {
                attempts++;
                cancellation.Cancel();
                throw ServerError(PostgresErrorCodes.AdminShutdown);
            },
            cancellation.Token).AsTask());

        Assert.Equal(1, attempts);
    }

    [Theory]
    [InlineData(PostgresErrorCodes.DeadlockDetected, 2)]
    [InlineData(PostgresErrorCodes.SerializationFailure, 2)]
    [InlineData(PostgresErrorCodes.AdminShutdown, 1)]
    [InlineData(PostgresErrorCodes.ConnectionFailure, 1)]
    public async Task A_write_that_is_not_idempotent_is_sent_again_only_when_the_server_rolled_it_back(string sqlState, int expectedAttempts)
    {
        var resilience = new PostgresResilience(3, TimeSpan.Zero);
        var attempts = 0;

        try
        {
            await resilience.RolledBack.ExecuteAsync(_ => ++attempts == 1 ? throw ServerError(sqlState) : ValueTask.CompletedTask);
        }
        catch (PostgresException ex) when (ex.SqlState == sqlState)
        {
            // Not sent again: the first failure reaches the caller.
        }

        Assert.Equal(expectedAttempts, attempts);
    }

    [Fact]
    public async Task Imports_rerun_after_a_concurrent_writer_broke_their_check_even_with_retries_off()
    {
        var resilience = new PostgresResilience(0, TimeSpan.Zero);
        var attempts = 0;

        await resilience.Imports.ExecuteAsync(_ => ++attempts == 1 ? throw ServerError(PostgresErrorCodes.ForeignKeyViolation) : ValueTask.CompletedTask);
        Assert.Equal(2, attempts);

        attempts = 0;
        await Assert.ThrowsAsync<PostgresException>(() => resilience.Imports.ExecuteAsync(_ =>
        {
            attempts++;
            throw ServerError(PostgresErrorCodes.AdminShutdown);
        }).AsTask());
        Assert.Equal(1, attempts);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(PostgresResilience.MaxAllowedRetryAttempts + 1, 0)]
    [InlineData(3, -1)]
    [InlineData(3, 10_001)]
    public void Out_of_range_settings_are_rejected(int maxRetryAttempts, int delayMilliseconds)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresResilience(maxRetryAttempts, TimeSpan.FromMilliseconds(delayMilliseconds)));

    private static PostgresException ServerError(string sqlState) => new("message", "ERROR", "ERROR", sqlState);
}

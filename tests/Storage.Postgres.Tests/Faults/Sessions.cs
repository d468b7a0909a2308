using Npgsql;

namespace Storage.Postgres.Tests.Faults;

/// <summary>
/// Fault injection through a superuser session of its own: lock a table so that a store's statement waits, find the
/// store's waiting session by its application name, and terminate sessions (<c>pg_terminate_backend</c>).
/// </summary>
public static class Sessions
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Takes an ACCESS EXCLUSIVE lock on <paramref name="schema"/>.<paramref name="table"/> in a transaction that
    /// stays open until the returned lock is disposed: every statement touching the table waits until then.
    /// </summary>
    public static async Task<TableLock> LockAsync(string connectionString, string schema, string table)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "fault-injector" }.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand($"LOCK TABLE \"{schema}\".\"{table}\" IN ACCESS EXCLUSIVE MODE", connection, transaction);
        await command.ExecuteNonQueryAsync();
        return new TableLock(connection, transaction);
    }

    /// <summary>
    /// Waits until a session named <paramref name="applicationName"/> (other than <paramref name="except"/>) is
    /// waiting for a lock, and returns its process id. Fails at once when <paramref name="operation"/> ends first.
    /// </summary>
    public static async Task<int> WaitForLockWaiterAsync(string connectionString, string applicationName, Task operation, int? except = null)
    {
        const string Sql = """
            SELECT pid FROM pg_stat_activity
            WHERE application_name = @App AND wait_event_type = 'Lock' AND pid <> @Except
            ORDER BY backend_start LIMIT 1
            """;
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (operation.IsCompleted)
            {
                await operation;
                Assert.Fail("The operation ended before it waited for the lock.");
            }

            if (await ScalarAsync<int?>(connectionString, Sql, new() { ["App"] = applicationName, ["Except"] = except ?? 0 }) is { } pid)
            {
                return pid;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"No session of {applicationName} waited for a lock within {Patience}.");
    }

    /// <summary>Whether the session <paramref name="pid"/> still exists and is waiting for a lock.</summary>
    public static async Task<bool> IsWaitingForLockAsync(string connectionString, int pid)
        => await ScalarAsync<bool?>(
            connectionString,
            "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = @Pid",
            new() { ["Pid"] = pid }) ?? false;

    /// <summary>Terminates session <paramref name="pid"/> and waits until it is gone.</summary>
    public static Task TerminateAsync(string connectionString, int pid) => TerminateWhereAsync(connectionString, "pid = @Pid", new() { ["Pid"] = pid });

    /// <summary>Terminates every session named <paramref name="applicationName"/> (idle pooled ones included) and waits until they are gone; returns how many there were.</summary>
    public static Task<int> TerminateAllAsync(string connectionString, string applicationName)
        => TerminateWhereAsync(connectionString, "application_name = @App", new() { ["App"] = applicationName });

    private static async Task<int> TerminateWhereAsync(string connectionString, string condition, Dictionary<string, object> parameters)
    {
        var terminated = await ScalarAsync<long?>(
            connectionString,
            $"SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE {condition} AND pid <> pg_backend_pid()",
            parameters) ?? 0;
        var deadline = DateTime.UtcNow + Patience;
        while (await ScalarAsync<long?>(connectionString, $"SELECT count(*) FROM pg_stat_activity WHERE {condition} AND pid <> pg_backend_pid()", parameters) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "Terminated sessions did not go away.");
            await Task.Delay(10);
        }

        return (int)terminated;
    }

    private static async Task<T?> ScalarAsync<T>(string connectionString, string sql, Dictionary<string, object> parameters)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "fault-injector" }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A held table lock; disposing it ends the transaction and the session.</summary>
    public sealed class TableLock(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}

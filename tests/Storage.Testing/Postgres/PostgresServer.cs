using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Storage.Testing;

/// <summary>
/// A PostgreSQL server for tests, started once per test process and shared by every test class
/// (<see cref="GetAsync"/>); each class asks for its own database with <see cref="CreateDatabaseAsync"/>.
/// When the environment variable <c>STORAGE_TEST_POSTGRES</c> holds a connection string, that server is used;
/// otherwise a throwaway cluster is initialized in a temporary folder (as the <c>postgres</c> user when the
/// tests run as root), listening on 127.0.0.1 only, and removed when the process exits.
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    /// <summary>The environment variable that names an existing server to use instead of a throwaway one.</summary>
    public const string ConnectionStringVariable = "STORAGE_TEST_POSTGRES";

    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartSharedAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _databaseCounter;

    private readonly LocalCluster? _cluster;
    private readonly List<string> _databases = [];
    private readonly Lock _lock = new();
    private bool _dedicated;

    private PostgresServer(string connectionString, LocalCluster? cluster)
    {
        ConnectionString = connectionString;
        _cluster = cluster;
    }

    /// <summary>A superuser connection string to the server's <c>postgres</c> database (no password for a throwaway server).</summary>
    public string ConnectionString { get; }

    /// <summary>True when the server is a throwaway cluster this process started (so it can be stopped and started).</summary>
    public bool IsLocal => _cluster is not null;

    /// <summary>
    /// Why PostgreSQL tests cannot run here, or null when they can: a server is configured through
    /// <see cref="ConnectionStringVariable"/> or PostgreSQL binaries were found.
    /// </summary>
    public static string? UnavailableReason
        => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ConnectionStringVariable)) || LocalCluster.FindBinaries() is not null
            ? null
            : $"PostgreSQL is not installed: apt-get install postgresql (or set {ConnectionStringVariable} to a connection string).";

    /// <summary>True when running under CI (<c>CI=true</c>), where a missing server is an error rather than a skip.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Stops the shared server if it was started (removing a throwaway cluster, or dropping the databases created
    /// on a configured one). <see cref="PostgresTestFramework"/> calls it when the test assembly finishes; process
    /// exit is the fallback.
    /// </summary>
    public static void ShutdownShared()
    {
        if (Shared.IsValueCreated && Shared.Value.IsCompletedSuccessfully)
        {
            Shared.Value.Result.Shutdown();
        }
    }

    /// <summary>
    /// Starts a throwaway server of its own for a test that stops, restarts or otherwise breaks it (the shared one
    /// must stay up for the tests running beside it). The caller disposes it, which removes it.
    /// </summary>
    /// <exception cref="InvalidOperationException">No PostgreSQL binaries were found.</exception>
    public static async Task<PostgresServer> StartDedicatedAsync()
    {
        var binaries = LocalCluster.FindBinaries() ?? throw new InvalidOperationException(UnavailableReason);
        var cluster = await LocalCluster.StartAsync(binaries, FreePort());
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Destroy();
        return new PostgresServer(cluster.ConnectionString, cluster) { _dedicated = true };
    }

    /// <summary>Removes a server from <see cref="StartDedicatedAsync"/>; does nothing for the shared one.</summary>
    public ValueTask DisposeAsync()
    {
        if (_dedicated)
        {
            Shutdown();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The shared server, started on first use.</summary>
    /// <exception cref="InvalidOperationException">No server is configured and no PostgreSQL binaries were found.</exception>
    public static Task<PostgresServer> GetAsync() => Shared.Value;

    /// <summary>
    /// Creates an empty database whose name starts with <paramref name="name"/> (made unique), with an ICU en-US
    /// default collation where the server supports it, and returns a
    /// superuser connection string to it. Databases are dropped when the process exits (the whole throwaway
    /// cluster is removed; on a configured server each database is dropped).
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var database = UniqueName(name);
        try
        {
            // A default collation that is not code-point order (ICU en-US sorts "a A b B"), so that a query that
            // forgets COLLATE "C" orders differently from the in-memory store and fails its tests.
            await ExecuteAsSuperuserAsync(
                $"CREATE DATABASE \"{database}\" TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'");
        }
        catch (PostgresException)
        {
            // No ICU in this server (or PostgreSQL before 15): the plain default collation.
            await ExecuteAsSuperuserAsync($"CREATE DATABASE \"{database}\" TEMPLATE template0 ENCODING 'UTF8'");
        }

        lock (_lock)
        {
            _databases.Add(database);
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;
    }

    /// <summary>Runs SQL as the superuser, in <paramref name="database"/> (the <c>postgres</c> database by default).</summary>
    public async Task ExecuteAsSuperuserAsync(string sql, string? database = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false };
        if (database is not null)
        {
            builder.Database = database;
        }

        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Terminates every other session connected to <paramref name="database"/>, as a fault tests can inject.</summary>
    public Task TerminateConnectionsAsync(string database)
        => ExecuteAsSuperuserAsync(
            $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database.Replace("'", "''", StringComparison.Ordinal)}' AND pid <> pg_backend_pid()");

    /// <summary>
    /// Stops the throwaway server (<c>pg_ctl stop -m fast</c>); connections fail until <see cref="StartAsync"/>.
    /// Use it on a server from <see cref="StartDedicatedAsync"/>: stopping the shared one breaks the tests running beside.
    /// </summary>
    /// <exception cref="InvalidOperationException">The server is a configured one, which tests do not control.</exception>
    public Task StopAsync() => RequireCluster().StopAsync("fast");

    /// <summary>Starts the throwaway server again after <see cref="StopAsync"/>.</summary>
    /// <exception cref="InvalidOperationException">The server is a configured one, which tests do not control.</exception>
    public Task StartAsync() => RequireCluster().StartAsync();

    private static string UniqueName(string name)
    {
        var clean = new string([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
        if (clean.Length > 40)
        {
            clean = clean[..40];
        }

        return $"{clean}_{Environment.ProcessId}_{Interlocked.Increment(ref _databaseCounter)}";
    }

    private LocalCluster RequireCluster()
        => _cluster ?? throw new InvalidOperationException($"The server named by {ConnectionStringVariable} is not controlled by the tests.");

    private static async Task<PostgresServer> StartSharedAsync()
    {
        var configured = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var external = new PostgresServer(configured, null);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => external.Shutdown();
            return external;
        }

        var binaries = LocalCluster.FindBinaries() ?? throw new InvalidOperationException(
            IsCi
                ? $"!!! CI=true but no PostgreSQL server is available: install it (apt-get install postgresql) or set {ConnectionStringVariable}. PostgreSQL tests cannot run. !!!"
                : UnavailableReason);
        LocalCluster.RemoveAbandoned();
        var cluster = await LocalCluster.StartAsync(binaries, FreePort());
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Destroy();
        return new PostgresServer(cluster.ConnectionString, cluster);
    }

    private void Shutdown()
    {
        if (_cluster is not null)
        {
            _cluster.Destroy();
            return;
        }

        string[] databases;
        lock (_lock)
        {
            databases = [.. _databases];
        }

        foreach (var database in databases)
        {
            try
            {
                ExecuteAsSuperuserAsync($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)").GetAwaiter().GetResult();
            }
            catch (NpgsqlException)
            {
                // Best effort at process exit: a database left behind on a shared server is harmless.
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

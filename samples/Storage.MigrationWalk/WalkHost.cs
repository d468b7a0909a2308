using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Storage.Consistency;
using Storage.DualWrite;

namespace Storage.MigrationWalk;

/// <summary>
/// The sample host, started in this process on a loopback port with the dual-write backend, exactly as the README
/// registers it; its migration flags live in a JSON file that the walk rewrites while the host serves.
/// </summary>
public sealed class WalkHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _flagsFile;
    private readonly FileLoggerProvider _logs;

    private WalkHost(WebApplication app, string flagsFile, FileLoggerProvider logs, Uri address)
    {
        _app = app;
        _flagsFile = flagsFile;
        _logs = logs;
        Address = address;
        Coordinator = app.Services.GetRequiredService<DualWriteCoordinator>();
        Sides = app.Services.GetRequiredService<ConsistencyCheckSides>();
        Checks = app.Services.GetRequiredService<ConsistencyCheckService>();
        DriftSink = (RepairJournalDriftSink)app.Services.GetRequiredService<IDriftSink>();
    }

    /// <summary>The host's base address, e.g. http://127.0.0.1:40123/.</summary>
    public Uri Address { get; }

    /// <summary>The host's dual-write coordinator: the flags in force, the journal, the breaker.</summary>
    public DualWriteCoordinator Coordinator { get; }

    /// <summary>The host's two backends as its consistency check sees them: in-memory (source) and PostgreSQL (target).</summary>
    public ConsistencyCheckSides Sides { get; }

    /// <summary>The host's in-host consistency check (its schedule is off; the walk runs it).</summary>
    public ConsistencyCheckService Checks { get; }

    /// <summary>Where the in-host check hands its differences: the repair journal.</summary>
    public RepairJournalDriftSink DriftSink { get; }

    /// <summary>Starts the host on the snapshot at <paramref name="snapshotPath"/> and the database at <paramref name="connectionString"/>, in phase 1.</summary>
    public static async Task<WalkHost> StartAsync(string folder, string snapshotPath, string connectionString, TimeSpan recheckDelay, CancellationToken cancellationToken)
    {
        // In a folder of its own: the host watches the file's whole folder, and the journal and the log change all the time.
        var flagsFile = Path.GetFullPath(Path.Combine(Directory.CreateDirectory(Path.Combine(folder, "flags")).FullName, "flags.json"));
        var journal = Path.GetFullPath(Path.Combine(folder, "journal.jsonl"));
        File.Delete(journal);
        await WriteFlagsAsync(flagsFile, MigrationFlags.Off, cancellationToken);
        var settings = new Dictionary<string, string?>
        {
            ["FlagsFile"] = flagsFile,
            ["Storage:Backend"] = "DualWrite",
            ["Storage:InMemory:SnapshotPath"] = Path.GetFullPath(snapshotPath),
            ["Storage:Postgres:ConnectionString"] = connectionString,
            ["Storage:Postgres:ApplyMigrationsOnStartup"] = "true",

            // As the runbook advises while PostgreSQL is not authoritative: the decorator already retries its writes.
            ["Storage:Postgres:MaxRetryAttempts"] = "1",
            ["Storage:DualWrite:JournalPath"] = journal,

            // The in-host check runs when the walk asks (RunOnceAsync), not on its own schedule.
            ["Storage:ConsistencyCheck:Enabled"] = "false",
            ["Storage:ConsistencyCheck:RecheckDelay"] = recheckDelay.ToString("c", CultureInfo.InvariantCulture),
            ["Storage:ConsistencyCheck:SampleSize"] = "10",
        };
        var logs = new FileLoggerProvider(Path.Combine(folder, "host.log"));
        var app = SampleHost.SampleHost.Build(
            [$"--FlagsFile={flagsFile}"],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.WebHost.UseUrls("http://127.0.0.1:0");
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(logs);
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                builder.Logging.AddFilter("Storage", LogLevel.Information);
            });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new WalkHost(app, flagsFile, logs, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <summary>Rewrites the flags file, as an operator would, and waits until the running host has taken the new flags.</summary>
    public async Task SetFlagsAsync(MigrationFlags flags, CancellationToken cancellationToken)
    {
        await WriteFlagsAsync(_flagsFile, flags, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (Coordinator.Flags.Current != flags)
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The host did not take the flags {flags} within 30 s of the flags file changing (it shows {Coordinator.Flags.Current}).");
            }
        }
    }

    /// <summary>Waits until the repair journal is empty; returns false when <paramref name="timeout"/> passes first.</summary>
    public async Task<bool> DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Coordinator.Journal.PendingCount > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100, cancellationToken);
        }

        return true;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _logs.Dispose();
    }

    private static async Task WriteFlagsAsync(string path, MigrationFlags flags, CancellationToken cancellationToken)
    {
        var document = new Dictionary<string, object>
        {
            ["Storage"] = new Dictionary<string, object>
            {
                ["Migration"] = new Dictionary<string, object>
                {
                    [MigrationSettings.DualWriteMode] = flags.DualWriteMode,
                    [MigrationSettings.ReadFromPostgresPercent] = flags.ReadFromPostgresPercent,
                    [MigrationSettings.PostgresPrimary] = flags.PostgresPrimary,
                    [MigrationSettings.PostgresOnly] = flags.PostgresOnly,
                },
            },
        };
        // Written beside and renamed over, so a reload never reads half a file.
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(document), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }
}

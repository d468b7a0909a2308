using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Storage.DualWrite;

/// <summary>
/// Fills the source (in-memory) backend from the target when the host starts in phases 2-5, before it serves, so a
/// restarted host never answers from an empty store and can still step back. Every kind is streamed from the target
/// and imported in batches into the source (imports write records exactly as given; the derived values follow).
/// Register it before <see cref="DualWriteReconciler"/> and before anything that serves requests.
/// </summary>
public sealed class DualWriteWarmStart : IHostedService
{
    /// <summary>Records per import batch: <value>1,000</value>.</summary>
    public const int BatchSize = 1_000;

    private readonly DualWriteGraphStore _graph;
    private readonly DualWriteAgentTaskStore _tasks;
    private readonly MigrationFlagsMonitor _flags;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    public DualWriteWarmStart(DualWriteGraphStore graph, DualWriteAgentTaskStore tasks, MigrationFlagsMonitor flags, ILogger<DualWriteWarmStart>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(flags);
        _graph = graph;
        _tasks = tasks;
        _flags = flags;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Copies everything the target holds into the source (whatever the phase).</summary>
    /// <returns>The number of records copied.</returns>
    public async Task<long> CopyTargetToSourceAsync(CancellationToken cancellationToken = default)
    {
        IGraphStore from = _graph.Target, to = _graph.Source;
        var total = await CopyAsync("projects", from.StreamProjectsAsync(cancellationToken), to.ImportProjectsAsync, cancellationToken);
        total += await CopyAsync("dependencies", from.StreamDependenciesAsync(cancellationToken), to.ImportDependenciesAsync, cancellationToken);
        total += await CopyAsync("contributors", from.StreamContributorsAsync(cancellationToken), to.ImportContributorsAsync, cancellationToken);
        total += await CopyAsync("assets", from.StreamAssetsAsync(cancellationToken), to.ImportAssetsAsync, cancellationToken);
        total += await CopyAsync("contributions", from.StreamContributionsAsync(cancellationToken), to.ImportContributionsAsync, cancellationToken);
        total += await CopyAsync("agent_tasks", _tasks.Target.StreamTasksAsync(cancellationToken), _tasks.Source.ImportTasksAsync, cancellationToken);
        return total;
    }

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_flags.Current.Phase != MigrationPhase.SourceOnly)
        {
            await CopyTargetToSourceAsync(cancellationToken);
        }
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<long> CopyAsync<T>(
        string kind, IAsyncEnumerable<T> records, Func<IReadOnlyCollection<T>, CancellationToken, Task<int>> import, CancellationToken cancellationToken)
    {
        var batch = new List<T>(BatchSize);
        long count = 0;
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            batch.Add(record);
            if (batch.Count == BatchSize)
            {
                count += await import(batch.ToArray(), cancellationToken);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            count += await import(batch.ToArray(), cancellationToken);
        }

        DualWriteLog.WarmStartLoaded(_logger, kind, count);
        return count;
    }
}

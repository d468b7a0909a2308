using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Storage.InMemory;

/// <summary>Loads the configured snapshot into the in-memory stores before the host serves.</summary>
internal sealed class InMemorySnapshotLoader(
    IOptions<InMemoryStorageOptions> options, InMemoryGraphStore graph, InMemoryAgentTaskStore tasks) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.SnapshotPath is { } path && File.Exists(path))
        {
            await InMemorySnapshot.LoadAsync(path, graph, tasks, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using System.Runtime.CompilerServices;
using Storage.Abstractions;

namespace Storage.InMemory;

public sealed partial class InMemoryAgentTaskStore
{
    /// <inheritdoc/>
    public Task<AgentTaskPage> ListTasksAsync(AgentTaskQuery query, CancellationToken cancellationToken = default)
        => Completed.Run(() =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var filter = StorageValidation.Normalize(query);
            lock (_lock)
            {
                return _tasks.Page(filter);
            }
        });

    /// <inheritdoc/>
    public Task<IReadOnlyList<AgentTask>> ListAttentionTasksAsync(int limit = 50, CancellationToken cancellationToken = default)
        => Completed.Run<IReadOnlyList<AgentTask>>(() =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = StorageValidation.Limit(limit);
            lock (_lock)
            {
                return _tasks.Attention(count);
            }
        });

    /// <inheritdoc/>
    public Task<AgentTaskCounts> CountTasksByStatusAsync(CancellationToken cancellationToken = default)
        => Completed.Run(() =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (_lock)
            {
                return _tasks.Counts();
            }
        });

    /// <inheritdoc/>
    /// <remarks>The tasks are copied under the lock when enumeration starts, then yielded outside it.</remarks>
    public async IAsyncEnumerable<AgentTask> StreamTasksAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        AgentTask[] snapshot;
        lock (_lock)
        {
            snapshot = _tasks.ById();
        }

        foreach (var task in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return task;
        }
    }

    /// <inheritdoc/>
    public Task<int> ImportTasksAsync(IReadOnlyCollection<AgentTask> tasks, CancellationToken cancellationToken = default)
        => Completed.Run(() =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = StorageValidation.Batch(tasks, StorageValidation.Normalize, t => t.Id);
            lock (_lock)
            {
                foreach (var task in batch)
                {
                    _tasks.Put(_tasks.Find(task.Id), task);
                }
            }

            return batch.Count;
        });
}

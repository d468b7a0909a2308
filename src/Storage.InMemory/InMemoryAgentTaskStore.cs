using Storage.Abstractions;

namespace Storage.InMemory;

/// <summary>
/// The in-memory <see cref="IAgentTaskStore"/>. It behaves like the database backends: it validates through
/// <see cref="StorageValidation"/>, stores immutable records, returns fresh arrays, and reports errors from
/// <see cref="StorageErrors"/>.
/// </summary>
/// <remarks>
/// Thread safety: safe for concurrent use. One lock guards all state, so a reader never sees half a write and
/// <see cref="ClaimTaskAsync"/> is atomic. Every operation completes synchronously; its errors (including
/// cancellation) are reported through the returned task.
/// </remarks>
public sealed partial class InMemoryAgentTaskStore : IAgentTaskStore
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly IStorageIdGenerator _idGenerator;
    private TaskIndex _tasks = new();

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock read once per write, through <see cref="StorageTime.Now"/>.</param>
    /// <param name="idGenerator">The source of generated task ids.</param>
    public InMemoryAgentTaskStore(TimeProvider timeProvider, IStorageIdGenerator idGenerator)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(idGenerator);
        _timeProvider = timeProvider;
        _idGenerator = idGenerator;
    }

    /// <inheritdoc/>
    public Task<AgentTask> CreateTaskAsync(NewAgentTask task, CancellationToken cancellationToken = default)
        => Completed.Run(() =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fields = StorageValidation.Normalize(task);
            var id = AgentTasks.NewId(fields, _idGenerator);
            lock (_lock)
            {
                var now = StorageTime.Now(_timeProvider);
                if (_tasks.Find(id) is not null)
                {
                    throw StorageErrors.TaskExists(id);
                }

                var created = AgentTasks.Create(fields, id, now);
                _tasks.Put(null, created);
                return created;
            }
        });

    /// <inheritdoc/>
    public Task<AgentTask?> GetTaskAsync(string id, CancellationToken cancellationToken = default)
        => Completed.Run(() =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var taskId = StorageValidation.TaskId(id);
            lock (_lock)
            {
                return _tasks.Find(taskId);
            }
        });

    /// <inheritdoc/>
    public Task<AgentTask> UpdateTaskAsync(string id, AgentTaskUpdate update, CancellationToken cancellationToken = default)
        => Completed.Run(() =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var taskId = StorageValidation.TaskId(id);
            var changes = StorageValidation.Normalize(update);
            lock (_lock)
            {
                var now = StorageTime.Now(_timeProvider);
                var current = _tasks.Find(taskId) ?? throw StorageErrors.TaskNotFound(taskId);
                var status = changes.Status
                    ?? (changes.Decision is not null && current.Status == AgentTaskStatus.NeedsDecision
                        ? AgentTaskStatus.Running
                        : current.Status);
                var updated = current with
                {
                    Status = status,
                    Output = changes.Output ?? current.Output,
                    Progress = changes.Progress ?? current.Progress,
                    CurrentStep = changes.CurrentStep ?? current.CurrentStep,
                    DecisionPrompt = changes.DecisionPrompt ?? current.DecisionPrompt,
                    Decision = changes.Decision ?? current.Decision,
                    StartedAt = status == AgentTaskStatus.Running ? current.StartedAt ?? now : current.StartedAt,
                    UpdatedAt = now,
                };
                _tasks.Put(current, updated);
                return updated;
            }
        });

    /// <inheritdoc/>
    public Task<AgentTask> ClaimTaskAsync(string id, string workerId, CancellationToken cancellationToken = default)
        => Completed.Run(() =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var taskId = StorageValidation.TaskId(id);
            var worker = StorageValidation.WorkerId(workerId);
            lock (_lock)
            {
                var now = StorageTime.Now(_timeProvider);
                var current = _tasks.Find(taskId) ?? throw StorageErrors.TaskNotFound(taskId);
                switch (current.Status)
                {
                    case AgentTaskStatus.Running when current.ClaimedBy == worker:
                        return current;
                    case AgentTaskStatus.Running when current.ClaimedBy is not null:
                        throw StorageErrors.ClaimedByAnother(taskId);
                    case AgentTaskStatus.Pending or AgentTaskStatus.NeedsDecision:
                        var claimed = current with
                        {
                            Status = AgentTaskStatus.Running,
                            ClaimedBy = worker,
                            ClaimedAt = now,
                            StartedAt = current.StartedAt ?? now,
                            UpdatedAt = now,
                        };
                        _tasks.Put(current, claimed);
                        return claimed;
                    default:
                        throw StorageErrors.NotClaimable(taskId, current.Status);
                }
            }
        });

    /// <summary>
    /// Atomically replaces everything this store holds with what <paramref name="source"/> holds. The source
    /// must be a private instance nobody else uses; its state is taken over by reference and it is left empty.
    /// </summary>
    internal void ReplaceContents(InMemoryAgentTaskStore source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (ReferenceEquals(source, this))
        {
            return;
        }

        TaskIndex taken;
        lock (source._lock)
        {
            taken = source._tasks;
            source._tasks = new TaskIndex();
        }

        lock (_lock)
        {
            _tasks = taken;
        }
    }
}

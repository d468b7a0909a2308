namespace Storage.Abstractions;

/// <summary>
/// Agent tasks and their lifecycle. Every backend passes the same contract suite and throws the same errors
/// for the same input. Implementations are safe for concurrent use; <see cref="ClaimTaskAsync"/> is atomic.
/// </summary>
public interface IAgentTaskStore
{
    /// <summary>Creates a pending task with progress 0. A taken id is a <see cref="StorageConflictException"/>.</summary>
    Task<AgentTask> CreateTaskAsync(NewAgentTask task, CancellationToken cancellationToken = default);

    /// <summary>The task with this id, or null.</summary>
    Task<AgentTask?> GetTaskAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies the fields set in <paramref name="update"/> and sets the updated time. Entering
    /// <see cref="AgentTaskStatus.Running"/> sets the started time if it was not set. Throws not-found for a missing task.
    /// </summary>
    Task<AgentTask> UpdateTaskAsync(string id, AgentTaskUpdate update, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically claims the task for <paramref name="workerId"/>: a pending or needs-decision task becomes running
    /// and claimed. Claiming again by the same worker while running changes nothing. Claimed by another worker,
    /// or in any other status: <see cref="StorageConflictException"/>.
    /// </summary>
    Task<AgentTask> ClaimTaskAsync(string id, string workerId, CancellationToken cancellationToken = default);

    /// <summary>One page of tasks matching the query, newest first, with the exact total.</summary>
    Task<AgentTaskPage> ListTasksAsync(AgentTaskQuery query, CancellationToken cancellationToken = default);

    /// <summary>Tasks that need a human (needs-decision and failed), most recently updated first (then id descending); limit 1..100.</summary>
    Task<IReadOnlyList<AgentTask>> ListAttentionTasksAsync(int limit = 50, CancellationToken cancellationToken = default);

    /// <summary>The number of tasks in each status.</summary>
    Task<AgentTaskCounts> CountTasksByStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>Every task ordered by id (code-point order).</summary>
    IAsyncEnumerable<AgentTask> StreamTasksAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes tasks exactly as given (all fields), validated first; all-or-nothing, idempotent. Returns the batch size.</summary>
    Task<int> ImportTasksAsync(IReadOnlyCollection<AgentTask> tasks, CancellationToken cancellationToken = default);
}

namespace Storage.InMemory.Tests;

public sealed partial class AgentTaskStorePropertyTests
{
    /// <summary>
    /// The reference model: a plain dictionary and the rules of docs/contracts.md, applied one by one. Input is
    /// checked by the shared <see cref="StorageValidation"/>, as the contract requires of every backend.
    /// </summary>
    private sealed class TaskModel(TimeProvider time, IStorageIdGenerator ids)
    {
        private readonly Dictionary<string, AgentTask> _tasks = new(StringComparer.Ordinal);
        private string? _lastGenerated;

        public IReadOnlyCollection<AgentTask> Tasks => _tasks.Values;

        /// <summary>The id an operation names: the last generated id for <see cref="LastGenerated"/> (an unknown id before any).</summary>
        public string Resolve(string id) => id == LastGenerated ? _lastGenerated ?? "t-unknown" : id;

        public AgentTask Create(NewAgentTask request)
        {
            var task = StorageValidation.Normalize(request);
            var id = task.Id;
            if (id is null)
            {
                id = _lastGenerated = "task_" + ids.NewId().ToString("N");
            }

            if (_tasks.ContainsKey(id))
            {
                throw StorageErrors.TaskExists(id);
            }

            var now = StorageTime.Now(time);
            return _tasks[id] = new AgentTask(
                id, task.Direction, task.TaskType, AgentTaskStatus.Pending, task.Model, task.Command, Output: null,
                task.Context ?? JsonMetadata.Empty, Progress: 0, CurrentStep: null, DecisionPrompt: null, Decision: null,
                task.Tier, ClaimedBy: null, ClaimedAt: null, StartedAt: null, now, now);
        }

        public AgentTask? Get(string id) => _tasks.GetValueOrDefault(StorageValidation.TaskId(id));

        public AgentTask Update(string id, AgentTaskUpdate update)
        {
            id = StorageValidation.TaskId(id);
            var changes = StorageValidation.Normalize(update);
            if (!_tasks.TryGetValue(id, out var task))
            {
                throw StorageErrors.TaskNotFound(id);
            }

            var now = StorageTime.Now(time);
            var status = task.Status;
            if (changes.Status is { } explicitStatus)
            {
                status = explicitStatus;
            }
            else if (changes.Decision is not null && task.Status == AgentTaskStatus.NeedsDecision)
            {
                status = AgentTaskStatus.Running;
            }

            var startedAt = task.StartedAt;
            if (status == AgentTaskStatus.Running && startedAt is null)
            {
                startedAt = now;
            }

            return _tasks[id] = task with
            {
                Status = status,
                Output = changes.Output ?? task.Output,
                Progress = changes.Progress ?? task.Progress,
                CurrentStep = changes.CurrentStep ?? task.CurrentStep,
                DecisionPrompt = changes.DecisionPrompt ?? task.DecisionPrompt,
                Decision = changes.Decision ?? task.Decision,
                StartedAt = startedAt,
                UpdatedAt = now,
            };
        }

        public AgentTask Claim(string id, string workerId)
        {
            id = StorageValidation.TaskId(id);
            var worker = StorageValidation.WorkerId(workerId);
            if (!_tasks.TryGetValue(id, out var task))
            {
                throw StorageErrors.TaskNotFound(id);
            }

            if (task.Status == AgentTaskStatus.Running && task.ClaimedBy == worker)
            {
                return task;
            }

            if (task.Status == AgentTaskStatus.Running && task.ClaimedBy is not null)
            {
                throw StorageErrors.ClaimedByAnother(id);
            }

            if (task.Status is not (AgentTaskStatus.Pending or AgentTaskStatus.NeedsDecision))
            {
                throw StorageErrors.NotClaimable(id, task.Status);
            }

            var now = StorageTime.Now(time);
            return _tasks[id] = task with
            {
                Status = AgentTaskStatus.Running,
                ClaimedBy = worker,
                ClaimedAt = now,
                StartedAt = task.StartedAt ?? now,
                UpdatedAt = now,
            };
        }
    }
}

using Storage.Abstractions;

namespace Storage.InMemory;

public sealed partial class InMemoryAgentTaskStore
{
    /// <summary>
    /// The store's state: tasks by id (code-point order) and the indexes the queries read, kept in step by
    /// <see cref="Put"/>. Not thread-safe; the owning store guards it with its lock.
    /// </summary>
    private sealed class TaskIndex
    {
        private static readonly int StatusCount = Enum.GetValues<AgentTaskStatus>().Length;
        private static readonly int TypeCount = Enum.GetValues<AgentTaskType>().Length;

        /// <summary>Newest first: created time descending, then id descending.</summary>
        private static readonly Comparer<AgentTask> NewestFirst = Comparer<AgentTask>.Create(
            (x, y) => y.CreatedAt.CompareTo(x.CreatedAt) is var c and not 0 ? c : StorageOrdering.CompareText(y.Id, x.Id));

        /// <summary>Most recently updated first: updated time descending, then id descending.</summary>
        private static readonly Comparer<AgentTask> RecentlyUpdatedFirst = Comparer<AgentTask>.Create(
            (x, y) => y.UpdatedAt.CompareTo(x.UpdatedAt) is var c and not 0 ? c : StorageOrdering.CompareText(y.Id, x.Id));

        private readonly SortedDictionary<string, AgentTask> _byId = new(StorageOrdering.Text);
        private readonly SortedSet<AgentTask> _newest = new(NewestFirst);
        private readonly SortedSet<AgentTask>[] _newestByStatus;
        private readonly SortedSet<AgentTask> _attention = new(RecentlyUpdatedFirst);

        /// <summary>Task counts by status and type, at <c>status * TypeCount + type</c>.</summary>
        private readonly long[] _counts = new long[StatusCount * TypeCount];

        public TaskIndex()
        {
            _newestByStatus = new SortedSet<AgentTask>[StatusCount];
            for (var i = 0; i < StatusCount; i++)
            {
                _newestByStatus[i] = new SortedSet<AgentTask>(NewestFirst);
            }
        }

        public AgentTask? Find(string id) => _byId.GetValueOrDefault(id);

        /// <summary>Stores <paramref name="task"/> in place of <paramref name="old"/> (the record stored under the same id, or null).</summary>
        public void Put(AgentTask? old, AgentTask task)
        {
            if (old is not null)
            {
                _newest.Remove(old);
                _newestByStatus[(int)old.Status].Remove(old);
                _attention.Remove(old);
                _counts[CountIndex(old.Status, old.TaskType)]--;
            }

            _byId[task.Id] = task;
            _newest.Add(task);
            _newestByStatus[(int)task.Status].Add(task);
            if (task.Status is AgentTaskStatus.NeedsDecision or AgentTaskStatus.Failed)
            {
                _attention.Add(task);
            }

            _counts[CountIndex(task.Status, task.TaskType)]++;
        }

        public AgentTaskPage Page(AgentTaskQuery query)
        {
            var total = Count(query.Status, query.TaskType);
            if (query.Offset >= total)
            {
                return new AgentTaskPage([], total);
            }

            var source = query.Status is { } status ? _newestByStatus[(int)status] : _newest;
            var items = new List<AgentTask>((int)Math.Min(query.Limit, total - query.Offset));
            var skipped = 0;
            foreach (var task in source)
            {
                if (query.TaskType is { } type && task.TaskType != type)
                {
                    continue;
                }

                if (skipped < query.Offset)
                {
                    skipped++;
                    continue;
                }

                items.Add(task);
                if (items.Count == query.Limit)
                {
                    break;
                }
            }

            return new AgentTaskPage(items.ToArray(), total);
        }

        public AgentTask[] Attention(int limit) => _attention.Take(limit).ToArray();

        public AgentTask[] ById() => _byId.Values.ToArray();

        public AgentTaskCounts Counts() => new(
            Count(AgentTaskStatus.Pending, null),
            Count(AgentTaskStatus.Running, null),
            Count(AgentTaskStatus.Completed, null),
            Count(AgentTaskStatus.Failed, null),
            Count(AgentTaskStatus.NeedsDecision, null));

        private static int CountIndex(AgentTaskStatus status, AgentTaskType type) => ((int)status * TypeCount) + (int)type;

        /// <summary>The number of tasks matching both filters (a null filter matches everything), in constant time.</summary>
        private long Count(AgentTaskStatus? status, AgentTaskType? type)
        {
            long total = 0;
            for (var s = 0; s < StatusCount; s++)
            {
                for (var t = 0; t < TypeCount; t++)
                {
                    if ((status is null || (int)status == s) && (type is null || (int)type == t))
                    {
                        total += _counts[(s * TypeCount) + t];
                    }
                }
            }

            return total;
        }
    }
}

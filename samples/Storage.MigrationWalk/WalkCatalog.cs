using System.Collections.Concurrent;

namespace Storage.MigrationWalk;

/// <summary>The keys the workload may use: those of the generated data set, and those it created itself.</summary>
public sealed class WalkCatalog
{
    private readonly ConcurrentDictionary<ProjectKey, byte> _projectsInUse = new();
    private readonly List<string> _tasks;
    private readonly Lock _tasksLock = new();

    /// <summary>Creates a catalog over the generated keys.</summary>
    public WalkCatalog(IReadOnlyList<ProjectKey> projects, IReadOnlyList<Guid> contributors, IReadOnlyList<Guid> assets, IReadOnlyList<Guid> contributions, IEnumerable<string> tasks)
    {
        Projects = projects;
        Contributors = contributors;
        Assets = assets;
        Contributions = contributions;
        _tasks = [.. tasks];
    }

    /// <summary>The generated projects.</summary>
    public IReadOnlyList<ProjectKey> Projects { get; }

    /// <summary>The generated contributors.</summary>
    public IReadOnlyList<Guid> Contributors { get; }

    /// <summary>The generated assets.</summary>
    public IReadOnlyList<Guid> Assets { get; }

    /// <summary>The generated contributions.</summary>
    public IReadOnlyList<Guid> Contributions { get; }

    /// <summary>A random task id, generated or created during the walk.</summary>
    public string AnyTask(Random random)
    {
        lock (_tasksLock)
        {
            return _tasks[random.Next(_tasks.Count)];
        }
    }

    /// <summary>Remembers a task the workload created.</summary>
    public void AddTask(string id)
    {
        lock (_tasksLock)
        {
            _tasks.Add(id);
        }
    }

    /// <summary>
    /// Takes a project no other request of the workload is writing, so the request can check that it reads back what
    /// it wrote; give it back with <see cref="Release"/>.
    /// </summary>
    public ProjectKey TakeProject(Random random)
    {
        while (true)
        {
            var key = Projects[random.Next(Projects.Count)];
            if (_projectsInUse.TryAdd(key, 0))
            {
                return key;
            }
        }
    }

    /// <summary>Gives back a project taken with <see cref="TakeProject"/>.</summary>
    public void Release(ProjectKey key) => _projectsInUse.TryRemove(key, out _);
}

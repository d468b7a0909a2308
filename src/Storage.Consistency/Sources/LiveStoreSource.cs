namespace Storage.Consistency;

/// <summary>
/// A pair of live stores as one side of a check (any backend: in-memory, PostgreSQL, dual-write), and the target a
/// repair writes to. Its records may change while they are read; see <see cref="ConsistencyCheckOptions.ChangedAfter"/>.
/// </summary>
/// <remarks>Thread safety: as safe as the stores it wraps (every backend is safe for concurrent use).</remarks>
public sealed class LiveStoreSource : IConsistencySource
{
    /// <summary>Wraps the two stores.</summary>
    /// <param name="graph">The graph store.</param>
    /// <param name="tasks">The agent task store.</param>
    /// <param name="description">What the stores are, for reports; never a connection string.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public LiveStoreSource(IGraphStore graph, IAgentTaskStore tasks, string description)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(description);
        Graph = graph;
        Tasks = tasks;
        Description = description;
    }

    /// <summary>The graph store.</summary>
    public IGraphStore Graph { get; }

    /// <summary>The agent task store.</summary>
    public IAgentTaskStore Tasks { get; }

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public DateTimeOffset? TakenAt => null;

    /// <inheritdoc/>
    public bool CanLookUp => true;

    /// <summary>Counts (or estimates) the records, for progress; when null, <see cref="EstimateRecordCountAsync"/> says unknown.</summary>
    public Func<CancellationToken, ValueTask<long?>>? RecordCounter { get; init; }

    /// <summary>Bulk loads of the stores' empty tables, used by a repair of this target; none when null (the default).</summary>
    public IBulkLoader? BulkLoader { get; init; }

    /// <summary>Disposed with the source (a data source, for example); null by default.</summary>
    public IAsyncDisposable? Owned { get; init; }

    /// <inheritdoc/>
    public ValueTask<long?> EstimateRecordCountAsync(CancellationToken cancellationToken = default)
        => RecordCounter is { } counter ? counter(cancellationToken) : ValueTask.FromResult<long?>(null);

    /// <inheritdoc/>
    public IAsyncEnumerable<Project> StreamProjectsAsync(CancellationToken cancellationToken = default) => Graph.StreamProjectsAsync(cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<DependencyEdge> StreamDependenciesAsync(CancellationToken cancellationToken = default) => Graph.StreamDependenciesAsync(cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<Contributor> StreamContributorsAsync(CancellationToken cancellationToken = default) => Graph.StreamContributorsAsync(cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<Asset> StreamAssetsAsync(CancellationToken cancellationToken = default) => Graph.StreamAssetsAsync(cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<Contribution> StreamContributionsAsync(CancellationToken cancellationToken = default) => Graph.StreamContributionsAsync(cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<AgentTask> StreamTasksAsync(CancellationToken cancellationToken = default) => Tasks.StreamTasksAsync(cancellationToken);

    /// <inheritdoc/>
    /// <remarks>An edge is looked up through <see cref="IGraphStore.GetDependenciesAsync"/> of its from project.</remarks>
    public async ValueTask<object?> LookUpAsync(RecordKey key, CancellationToken cancellationToken = default) => key.Kind switch
    {
        RecordKind.Project => await Graph.GetProjectAsync(key.ProjectKey, cancellationToken),
        RecordKind.Dependency => await FindEdgeAsync(key.Edge, cancellationToken),
        RecordKind.Contributor => await Graph.GetContributorAsync(key.Id, cancellationToken),
        RecordKind.Asset => await Graph.GetAssetAsync(key.Id, cancellationToken),
        RecordKind.Contribution => await Graph.GetContributionAsync(key.Id, cancellationToken),
        RecordKind.AgentTask => await Tasks.GetTaskAsync(key.TaskId, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Owned?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task<object?> FindEdgeAsync(DependencyEdge edge, CancellationToken cancellationToken)
    {
        try
        {
            var dependencies = await Graph.GetDependenciesAsync(edge.From, cancellationToken);
            return dependencies.Any(p => p.Key == edge.To) ? edge : null;
        }
        catch (EntityNotFoundException)
        {
            return null;
        }
    }
}

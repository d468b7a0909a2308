using Storage.Consistency;

namespace Storage.Consistency.Tests.Support;

/// <summary>A side that hands every call to <paramref name="inner"/>; a test overrides the one it needs to bend.</summary>
public abstract class ForwardingSource(IConsistencySource inner) : IConsistencySource
{
    public virtual string Description => inner.Description;

    public virtual DateTimeOffset? TakenAt => inner.TakenAt;

    public virtual bool CanLookUp => inner.CanLookUp;

    public virtual ValueTask<long?> EstimateRecordCountAsync(CancellationToken cancellationToken = default) => inner.EstimateRecordCountAsync(cancellationToken);

    public virtual IAsyncEnumerable<Project> StreamProjectsAsync(CancellationToken cancellationToken = default) => inner.StreamProjectsAsync(cancellationToken);

    public virtual IAsyncEnumerable<DependencyEdge> StreamDependenciesAsync(CancellationToken cancellationToken = default) => inner.StreamDependenciesAsync(cancellationToken);

    public virtual IAsyncEnumerable<Contributor> StreamContributorsAsync(CancellationToken cancellationToken = default) => inner.StreamContributorsAsync(cancellationToken);

    public virtual IAsyncEnumerable<Asset> StreamAssetsAsync(CancellationToken cancellationToken = default) => inner.StreamAssetsAsync(cancellationToken);

    public virtual IAsyncEnumerable<Contribution> StreamContributionsAsync(CancellationToken cancellationToken = default) => inner.StreamContributionsAsync(cancellationToken);

    public virtual IAsyncEnumerable<AgentTask> StreamTasksAsync(CancellationToken cancellationToken = default) => inner.StreamTasksAsync(cancellationToken);

    public virtual ValueTask<object?> LookUpAsync(RecordKey key, CancellationToken cancellationToken = default) => inner.LookUpAsync(key, cancellationToken);

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return inner.DisposeAsync();
    }
}

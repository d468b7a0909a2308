namespace Storage.Consistency;

/// <summary>One bulk load of empty tables: every kind it takes is committed at once, or none (dispose to roll back).</summary>
public interface IBulkLoadSession : IAsyncDisposable
{
    /// <summary>
    /// Takes <paramref name="kind"/>, after the kinds it depends on; null, having changed and kept nothing, when its
    /// table is not empty or not free (the repair then writes that kind in batches).
    /// </summary>
    Task<IBulkLoad?> TryBeginAsync(RecordKind kind, CancellationToken cancellationToken = default);

    /// <summary>Commits every kind taken (each built first: <see cref="IBulkLoad.BuildAsync"/>).</summary>
    Task CommitAsync(CancellationToken cancellationToken = default);
}

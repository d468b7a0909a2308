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

    /// <summary>
    /// After <see cref="CommitAsync"/>, and after the session is disposed (a repair frees the session's connection first):
    /// the work the commit left (a PostgreSQL load builds the indexes it dropped, several at once). The records stay
    /// committed whatever it throws; a repair reports them as written.
    /// </summary>
    Task FinishAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}

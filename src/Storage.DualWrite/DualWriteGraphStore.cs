namespace Storage.DualWrite;

/// <summary>
/// An <see cref="IGraphStore"/> over two backends, the source (migrated from) and the target (migrated to), that
/// routes each call by the <see cref="MigrationFlags"/> in force. Writes go to the authoritative backend first and
/// its result is copied, as state, to the other; reads by key are sticky per key; reads without a key are shared
/// per call. See <see cref="DualWriteCoordinator"/> for what the two decorators share.
/// </summary>
/// <remarks>
/// Thread safety: safe for concurrent use. Writes to one key are serialized across both backends by striped locks.
/// Fed the same calls, it returns the same values and throws the same errors as its backends.
/// </remarks>
public sealed partial class DualWriteGraphStore : IGraphStore, IKeyRepairer
{
    private static readonly EntityKey[] None = [];

    private readonly StorePair<IGraphStore> _stores;
    private readonly DualWriteCoordinator _coordinator;

    /// <summary>Creates the decorator and registers it with the coordinator as the repairer of graph keys.</summary>
    /// <param name="source">The backend migrated from (in practice in-memory).</param>
    /// <param name="target">The backend migrated to (in practice PostgreSQL).</param>
    /// <param name="coordinator">The flags, journal, locks and pipeline shared with the other decorator.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public DualWriteGraphStore(IGraphStore source, IGraphStore target, DualWriteCoordinator coordinator)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(coordinator);
        _stores = new StorePair<IGraphStore>(source, target);
        _coordinator = coordinator;
        coordinator.Register(
            this,
            EntityKind.Project,
            EntityKind.Dependency,
            EntityKind.Contributor,
            EntityKind.ContributorEmail,
            EntityKind.Asset,
            EntityKind.Contribution);
    }

    /// <summary>The backend migrated from.</summary>
    public IGraphStore Source => _stores.Source;

    /// <summary>The backend migrated to.</summary>
    public IGraphStore Target => _stores.Target;

    /// <summary>The authoritative backend, for calls whose input does not validate (it reports the error).</summary>
    private IGraphStore Authoritative => _stores.Get(_coordinator.Flags.Current.Authoritative);

    private Task<T> Keyed<TArg, T>(string operation, TArg arg, KeyOf<TArg> keyOf, Func<IGraphStore, TArg, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
        => _coordinator.ReadKeyed(_stores, operation, arg, keyOf, read, cancellationToken);

    private Task<T> Keyless<TArg, T>(string operation, TArg arg, Func<IGraphStore, TArg, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
        => _coordinator.ReadKeyless(_stores, operation, arg, read, cancellationToken);

    private IAsyncEnumerable<T> Stream<T>(Func<IGraphStore, CancellationToken, IAsyncEnumerable<T>> stream, CancellationToken cancellationToken)
        => stream(_coordinator.StreamStore(_stores), cancellationToken);
}

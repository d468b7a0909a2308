namespace Storage.Testing;

/// <summary>
/// The contract every <see cref="IGraphStore"/> backend passes. A backend's test class subclasses this and
/// supplies <see cref="CreateStoreAsync"/>; xunit makes a new instance, and so a new empty store, per test.
/// Tests use only the public interface. Split into partial files by concern.
/// </summary>
public abstract partial class GraphStoreContractTests : IAsyncLifetime
{
    /// <summary>The clock the store reads; tests move it explicitly.</summary>
    protected ManualTimeProvider Time { get; } = new();

    /// <summary>The id source the store uses.</summary>
    protected SequentialIdGenerator Ids { get; } = new();

    /// <summary>The store under test, empty at the start of each test.</summary>
    protected IGraphStore Store { get; private set; } = null!;

    /// <summary>Creates an empty store that takes its time and ids from the given sources.</summary>
    protected abstract Task<IGraphStore> CreateStoreAsync(TimeProvider time, IStorageIdGenerator ids);

    public virtual async Task InitializeAsync() => Store = await CreateStoreAsync(Time, Ids);

    public virtual Task DisposeAsync() => Task.CompletedTask;
}

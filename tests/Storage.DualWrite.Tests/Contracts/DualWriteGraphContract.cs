using Storage.InMemory;

namespace Storage.DualWrite.Tests.Contracts;

/// <summary>
/// The <see cref="IGraphStore"/> contract run against <see cref="DualWriteGraphStore"/> in one phase. Both inner stores
/// get the suite's clock and ids; after each test the journal is drained and the two backends must hold the same data.
/// </summary>
public abstract class DualWriteGraphContract : GraphStoreContractTests, IDisposable
{
    private DualWriteHarness? _harness;

    protected abstract MigrationFlags Flags { get; }

    /// <summary>The target backend; in-memory unless a subclass says otherwise.</summary>
    protected virtual Task<IGraphStore> CreateTargetAsync(TimeProvider time, IStorageIdGenerator ids)
        => Task.FromResult<IGraphStore>(new InMemoryGraphStore(time, ids));

    protected override async Task<IGraphStore> CreateStoreAsync(TimeProvider time, IStorageIdGenerator ids)
    {
        var target = await CreateTargetAsync(time, ids);
        _harness = new DualWriteHarness(
            new InMemoryGraphStore(time, ids),
            target,
            new InMemoryAgentTaskStore(time, ids),
            new InMemoryAgentTaskStore(time, ids),
            Flags);
        return _harness.Graph;
    }

    public override async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            Assert.Equal(0, await _harness.Reconciler.DrainAsync());
            await StoreAssert.EqualAsync(_harness.Graph.Source, _harness.Graph.Target);
        }

        await base.DisposeAsync();
    }

    public void Dispose()
    {
        _harness?.Dispose();
        GC.SuppressFinalize(this);
    }
}

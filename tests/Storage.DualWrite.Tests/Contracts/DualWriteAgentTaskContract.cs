using Storage.InMemory;

namespace Storage.DualWrite.Tests.Contracts;

/// <summary>The <see cref="IAgentTaskStore"/> contract run against <see cref="DualWriteAgentTaskStore"/> in one phase (see <see cref="DualWriteGraphContract"/>).</summary>
public abstract class DualWriteAgentTaskContract : AgentTaskStoreContractTests, IDisposable
{
    private DualWriteHarness? _harness;

    protected abstract MigrationFlags Flags { get; }

    protected virtual Task<IAgentTaskStore> CreateTargetAsync(TimeProvider time, IStorageIdGenerator ids)
        => Task.FromResult<IAgentTaskStore>(new InMemoryAgentTaskStore(time, ids));

    protected override async Task<IAgentTaskStore> CreateStoreAsync(TimeProvider time, IStorageIdGenerator ids)
    {
        var target = await CreateTargetAsync(time, ids);
        _harness = new DualWriteHarness(
            new InMemoryGraphStore(time, ids),
            new InMemoryGraphStore(time, ids),
            new InMemoryAgentTaskStore(time, ids),
            target,
            Flags);
        return _harness.Tasks;
    }

    public override async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            Assert.Equal(0, await _harness.Reconciler.DrainAsync());
            await StoreAssert.EqualAsync(_harness.Tasks.Source, _harness.Tasks.Target);
        }

        await base.DisposeAsync();
    }

    public void Dispose()
    {
        _harness?.Dispose();
        GC.SuppressFinalize(this);
    }
}

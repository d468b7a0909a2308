using Storage.InMemory;

namespace Storage.InMemory.Tests;

/// <summary>Runs the whole <see cref="IGraphStore"/> contract suite against <see cref="InMemoryGraphStore"/>.</summary>
public sealed class InMemoryGraphStoreTests : GraphStoreContractTests
{
    protected override Task<IGraphStore> CreateStoreAsync(TimeProvider time, IStorageIdGenerator ids)
        => Task.FromResult<IGraphStore>(new InMemoryGraphStore(time, ids));
}

using Storage.InMemory;

namespace Storage.InMemory.Tests;

/// <summary>Runs the <see cref="IAgentTaskStore"/> contract suite against <see cref="InMemoryAgentTaskStore"/>.</summary>
public sealed class InMemoryAgentTaskStoreTests : AgentTaskStoreContractTests
{
    protected override Task<IAgentTaskStore> CreateStoreAsync(TimeProvider time, IStorageIdGenerator ids)
        => Task.FromResult<IAgentTaskStore>(new InMemoryAgentTaskStore(time, ids));
}

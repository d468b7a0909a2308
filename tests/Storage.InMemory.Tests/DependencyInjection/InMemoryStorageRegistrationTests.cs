using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Storage.InMemory;

namespace Storage.InMemory.Tests;

public sealed class InMemoryStorageRegistrationTests : IDisposable
{
    private readonly SnapshotFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Both_interfaces_resolve_to_single_in_memory_instances()
    {
        using var provider = new ServiceCollection().AddInMemoryStorage().BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<InMemoryGraphStore>(), provider.GetRequiredService<IGraphStore>());
        Assert.Same(provider.GetRequiredService<InMemoryAgentTaskStore>(), provider.GetRequiredService<IAgentTaskStore>());
        Assert.Same(provider.GetRequiredService<IGraphStore>(), provider.GetRequiredService<IGraphStore>());
    }

    [Fact]
    public void A_missing_snapshot_fails_validation_naming_the_setting()
    {
        using var provider = new ServiceCollection()
            .AddInMemoryStorage(o => o.SnapshotPath = _fixture.PathOf("missing.jsonl"))
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<InMemoryStorageOptions>>().Value);
        Assert.Contains("SnapshotPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_configured_snapshot_is_loaded_when_the_host_starts()
    {
        await _fixture.FillAsync();
        var path = _fixture.PathOf("start.jsonl");
        await InMemorySnapshot.SaveAsync(path, _fixture.Graph, _fixture.Tasks, _fixture.Time);
        using var provider = new ServiceCollection().AddInMemoryStorage(o => o.SnapshotPath = path).BuildServiceProvider();

        foreach (var service in provider.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }

        await SnapshotAssert.EqualAsync(_fixture.Graph, _fixture.Tasks, provider.GetRequiredService<IGraphStore>(), provider.GetRequiredService<IAgentTaskStore>());
    }
}

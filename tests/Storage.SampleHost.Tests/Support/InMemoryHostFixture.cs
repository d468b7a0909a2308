namespace Storage.SampleHost.Tests;

/// <summary>One in-memory host per test class; tests use keys of their own (<see cref="Unique"/>), so they do not see each other.</summary>
public sealed class InMemoryHostFixture : IAsyncLifetime
{
    private RunningHost? _host;

    public HttpClient Client => (_host ?? throw new InvalidOperationException("not started")).Client;

    /// <summary>A fresh lower-case name starting with <paramref name="prefix"/>.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public async Task InitializeAsync() => _host = await RunningHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

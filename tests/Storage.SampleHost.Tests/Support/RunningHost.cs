using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Storage.SampleHost.Tests;

/// <summary>The sample host built by <see cref="SampleHost.Build"/> and started on a test server, with a client.</summary>
public sealed class RunningHost : IAsyncDisposable
{
    private RunningHost(WebApplication app)
    {
        App = app;
        Client = app.GetTestClient();
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    /// <summary>Starts a host with these settings added as in-memory configuration (the in-memory backend when none is set).</summary>
    public static async Task<RunningHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, params string[] args)
    {
        // Only the flags file is watched: no watcher on appsettings.json for each test host.
        var app = SampleHost.Build([.. args, "--hostBuilder:reloadConfigOnChange=false"], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new RunningHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Storage.SampleHost.Tests;

public sealed class SampleHostBuildTests
{
    [Fact]
    public async Task Without_a_configured_url_the_host_listens_on_loopback_5080_only()
    {
        await using var app = SampleHost.Build([]);

        Assert.Equal(SampleHost.DefaultUrl, app.Configuration[WebHostDefaults.ServerUrlsKey]);
        Assert.Equal("http://127.0.0.1:5080", SampleHost.DefaultUrl);
    }

    [Fact]
    public async Task A_configured_url_is_kept()
    {
        await using var app = SampleHost.Build(["--urls", "http://127.0.0.1:5999"]);

        Assert.Equal("http://127.0.0.1:5999", app.Configuration[WebHostDefaults.ServerUrlsKey]);
    }

    [Fact]
    public void The_json_options_are_read_only_camel_case_with_enums_as_names()
    {
        var json = JsonSerializer.Serialize(new NewAgentTask("d", AgentTaskType.Review), SampleHost.JsonOptions);

        Assert.True(SampleHost.JsonOptions.IsReadOnly);
        Assert.Contains("\"taskType\":\"Review\"", json, StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<NewAsset>("""{"name":"x","assetType":2}""", SampleHost.JsonOptions));
    }

    [Fact]
    public async Task Over_real_http_on_loopback_a_scoped_name_round_trips()
    {
        await using var app = SampleHost.Build(["--urls", "http://127.0.0.1:0", "--hostBuilder:reloadConfigOnChange=false"], b => b.Logging.ClearProviders());
        await app.StartAsync();
        var address = app.Urls.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        var path = $"/projects/npm/{Uri.EscapeDataString("@types/node.js")}";

        var created = await (await client.PutJsonAsync(path, new { version = "20.1.0" })).ReadAsync<Project>();
        var fetched = await client.GetJsonAsync<Project>(path);
        var health = await client.GetJsonAsync<JsonElement>("/health");

        Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
        Assert.Equal("@types/node.js", created.Name);
        Assert.Equal(created, fetched);
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        await app.StopAsync();
    }
}

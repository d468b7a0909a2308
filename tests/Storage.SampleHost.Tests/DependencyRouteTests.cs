using System.Net;
using static Storage.SampleHost.Tests.InMemoryHostFixture;

namespace Storage.SampleHost.Tests;

public sealed class DependencyRouteTests(InMemoryHostFixture host) : IClassFixture<InMemoryHostFixture>
{
    private HttpClient Client => host.Client;

    [Fact]
    public async Task Put_adds_an_edge_once_and_both_directions_list_it()
    {
        var app = await CreateAsync("app");
        var lib = await CreateAsync("lib");

        var first = await (await Client.PutAsync($"/projects/npm/{app}/dependencies/npm/{lib}", null)).ReadValueAsync<bool>("added");
        var again = await (await Client.PutAsync($"/projects/npm/{app}/dependencies/npm/{lib}", null)).ReadValueAsync<bool>("added");
        var dependencies = await Client.GetJsonAsync<Project[]>($"/projects/npm/{app}/dependencies");
        var dependents = await Client.GetJsonAsync<Project[]>($"/projects/npm/{lib}/dependents");
        var appProject = await Client.GetJsonAsync<Project>($"/projects/npm/{app}");

        Assert.True(first);
        Assert.False(again);
        Assert.Equal([lib], dependencies.Select(p => p.Name));
        Assert.Equal([app], dependents.Select(p => p.Name));
        Assert.Equal(1, appProject.DependencyCount);
    }

    [Fact]
    public async Task Delete_removes_an_edge_once()
    {
        var app = await CreateAsync("app");
        var lib = await CreateAsync("@scope/lib");
        var route = $"/projects/npm/{app}/dependencies/npm/{Uri.EscapeDataString(lib)}";
        Assert.True(await (await Client.PutAsync(route, null)).ReadValueAsync<bool>("added"));

        var first = await (await Client.DeleteAsync(route)).ReadValueAsync<bool>("removed");
        var again = await (await Client.DeleteAsync(route)).ReadValueAsync<bool>("removed");

        Assert.True(first);
        Assert.False(again);
        Assert.Empty(await Client.GetJsonAsync<Project[]>($"/projects/npm/{app}/dependencies"));
    }

    [Fact]
    public async Task An_edge_to_a_missing_project_is_404()
    {
        var app = await CreateAsync("app");

        var problem = await (await Client.PutAsync($"/projects/npm/{app}/dependencies/npm/{Unique("nowhere")}", null)).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("project", problem.GetProperty("entity").GetString());
    }

    [Fact]
    public async Task Lists_of_a_missing_project_are_404()
    {
        var missing = Unique("nowhere");

        await (await Client.GetAsync($"/projects/npm/{missing}/dependencies")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Client.GetAsync($"/projects/npm/{missing}/dependents")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_project_depending_on_itself_is_422()
    {
        var app = await CreateAsync("app");

        await (await Client.PutAsync($"/projects/npm/{app}/dependencies/NPM/{app.ToUpperInvariant()}", null)).AssertInvalidAsync("dependency");
    }

    private async Task<string> CreateAsync(string prefix)
    {
        var name = Unique(prefix);
        var project = await (await Client.PutJsonAsync($"/projects/npm/{Uri.EscapeDataString(name)}", new { })).ReadAsync<Project>();
        return project.Name;
    }
}

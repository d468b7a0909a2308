using System.Net;
using static Storage.SampleHost.Tests.InMemoryHostFixture;

namespace Storage.SampleHost.Tests;

public sealed class ProjectRouteTests(InMemoryHostFixture host) : IClassFixture<InMemoryHostFixture>
{
    private HttpClient Client => host.Client;

    [Fact]
    public async Task Put_creates_the_project_under_the_route_key_and_get_returns_it()
    {
        var name = Unique("React");

        var created = await (await Client.PutJsonAsync($"/projects/NPM/{name}", new { version = "18.2.0", description = "UI library" })).ReadAsync<Project>();
        var fetched = await Client.GetJsonAsync<Project>($"/projects/npm/{name.ToLowerInvariant()}");

        Assert.Equal(new ProjectKey("npm", name.ToLowerInvariant()), created.Key);
        Assert.Equal("18.2.0", created.Version);
        Assert.Equal("UI library", created.Description);
        Assert.Equal(created, fetched);
    }

    [Fact]
    public async Task Put_accepts_the_library_record_whose_key_matches_the_route_after_folding()
    {
        var name = Unique("lodash");
        var body = new ProjectUpsert(" NPM ", name.ToUpperInvariant()) { HomepageUrl = "https://lodash.com" };

        var project = await (await Client.PutJsonAsync($"/projects/npm/{name}", body)).ReadAsync<Project>();

        Assert.Equal("https://lodash.com", project.HomepageUrl);
        Assert.Equal(name, project.Name);
    }

    [Fact]
    public async Task Put_again_replaces_the_fields_and_keeps_the_created_time()
    {
        var name = Unique("vite");
        var first = await (await Client.PutJsonAsync($"/projects/npm/{name}", new { version = "1.0.0" })).ReadAsync<Project>();

        var second = await (await Client.PutJsonAsync($"/projects/npm/{name}", new { description = "bundler" })).ReadAsync<Project>();

        Assert.Null(second.Version);
        Assert.Equal("bundler", second.Description);
        Assert.Equal(first.CreatedAt, second.CreatedAt);
    }

    [Fact]
    public async Task Names_with_dots_dashes_at_signs_and_an_encoded_slash_round_trip()
    {
        var scoped = "@babel/" + Unique("core.js");

        var created = await (await Client.PutJsonAsync($"/projects/npm/{Uri.EscapeDataString(scoped)}", new { version = "7.0.0" })).ReadAsync<Project>();
        var fetched = await Client.GetJsonAsync<Project>($"/projects/npm/{Uri.EscapeDataString(scoped)}");

        Assert.Equal(scoped, created.Name);
        Assert.Equal(created, fetched);
    }

    [Fact]
    public async Task Put_with_a_body_key_that_names_another_project_is_400()
    {
        var response = await Client.PutJsonAsync($"/projects/npm/{Unique("a")}", new ProjectUpsert("npm", "someone-else"));

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("name", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"version\": ")]
    [InlineData("[1, 2]")]
    [InlineData("{\"version\": 12}")]
    public async Task Put_with_malformed_json_is_400(string json)
    {
        var response = await Client.SendRawAsync(HttpMethod.Put, $"/projects/npm/{Unique("m")}", json);

        await response.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Put_without_a_body_is_400()
    {
        var response = await Client.SendRawAsync(HttpMethod.Put, $"/projects/npm/{Unique("m")}", json: null);

        await response.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Put_with_an_invalid_url_is_422_naming_the_field()
    {
        var response = await Client.PutJsonAsync($"/projects/npm/{Unique("u")}", new { homepageUrl = "ftp://example.com" });

        await response.AssertInvalidAsync("homepage_url");
    }

    [Fact]
    public async Task Put_with_a_blank_name_is_422()
    {
        var response = await Client.PutJsonAsync("/projects/npm/%20", new { version = "1" });

        await response.AssertInvalidAsync("name");
    }

    [Fact]
    public async Task Get_of_a_missing_project_is_404_naming_it()
    {
        var name = Unique("missing");

        var problem = await (await Client.GetAsync($"/projects/npm/{name}")).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("project", problem.GetProperty("entity").GetString());
        Assert.Equal($"npm/{name}", problem.GetProperty("key").GetString());
    }

    [Fact]
    public async Task Delete_removes_the_project_then_answers_404()
    {
        var name = Unique("gone");
        await (await Client.PutJsonAsync($"/projects/npm/{name}", new { })).ReadAsync<Project>();

        var first = await Client.DeleteAsync($"/projects/npm/{name}");
        var second = await Client.DeleteAsync($"/projects/npm/{name}");

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        await second.ProblemAsync(HttpStatusCode.NotFound);
        await (await Client.GetAsync($"/projects/npm/{name}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Search_finds_projects_by_description_in_key_order_up_to_the_limit()
    {
        var word = Unique("zq");
        foreach (var name in new[] { "c", "a", "b" })
        {
            await (await Client.PutJsonAsync($"/projects/pypi/{name}-{word}", new { description = $"has {word.ToUpperInvariant()} inside" })).ReadAsync<Project>();
        }

        var all = await Client.GetJsonAsync<Project[]>($"/projects/search?q={word}");
        var two = await Client.GetJsonAsync<Project[]>($"/projects/search?q={word}&limit=2");

        Assert.Equal([$"a-{word}", $"b-{word}", $"c-{word}"], all.Select(p => p.Name));
        Assert.Equal([$"a-{word}", $"b-{word}"], two.Select(p => p.Name));
    }

    [Fact]
    public async Task Search_without_text_is_400_and_with_an_out_of_range_limit_422()
    {
        await (await Client.GetAsync("/projects/search")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Client.GetAsync("/projects/search?q=x&limit=0")).AssertInvalidAsync("limit");
    }

    [Fact]
    public async Task List_pages_in_key_order_after_the_given_key()
    {
        var ecosystem = Unique("eco");
        foreach (var name in new[] { "c", "a", "b" })
        {
            await (await Client.PutJsonAsync($"/projects/{ecosystem}/{name}", new { })).ReadAsync<Project>();
        }

        var page = await Client.GetJsonAsync<Project[]>($"/projects?afterEcosystem={ecosystem}&afterName=a&limit=2");
        var first = await Client.GetJsonAsync<Project[]>("/projects?limit=1");

        Assert.Equal([new ProjectKey(ecosystem, "b"), new ProjectKey(ecosystem, "c")], page.Select(p => p.Key));
        Assert.Single(first);
    }

    [Theory]
    [InlineData("/projects?afterEcosystem=npm")]
    [InlineData("/projects?limit=ten")]
    public async Task List_with_unusable_query_values_is_400(string url)
        => await (await Client.GetAsync(url)).ProblemAsync(HttpStatusCode.BadRequest);

    [Fact]
    public async Task Count_follows_puts_and_deletes()
    {
        var before = await (await Client.GetAsync("/projects/count")).ReadValueAsync<long>("count");
        var name = Unique("counted");
        await (await Client.PutJsonAsync($"/projects/cargo/{name}", new { })).ReadAsync<Project>();

        var after = await (await Client.GetAsync("/projects/count")).ReadValueAsync<long>("count");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/projects/cargo/{name}")).StatusCode);
        var afterDelete = await (await Client.GetAsync("/projects/count")).ReadValueAsync<long>("count");

        // The tests of one class run one at a time, so nothing else changes the count meanwhile.
        Assert.Equal(before + 1, after);
        Assert.Equal(before, afterDelete);
    }
}

using System.Net;
using System.Text.Json;
using static Storage.SampleHost.Tests.InMemoryHostFixture;

namespace Storage.SampleHost.Tests;

public sealed class LedgerRouteTests(InMemoryHostFixture host) : IClassFixture<InMemoryHostFixture>
{
    private HttpClient Client => host.Client;

    [Fact]
    public async Task Post_contributor_is_201_with_a_location_that_gets_it()
    {
        var email = $"{Unique("ada")}@Example.org";
        var body = new NewContributor(" Ada ") { Email = email, Metadata = JsonMetadata.Parse("""{"b":1,"a":[true]}""") };

        var response = await Client.PostJsonAsync("/contributors", body);
        var created = await response.ReadAsync<Contributor>(HttpStatusCode.Created);
        var fetched = await Client.GetJsonAsync<Contributor>(response.Headers.Location!.OriginalString);

        Assert.Equal($"/contributors/{created.Id:D}", response.Headers.Location.OriginalString);
        Assert.Equal("Ada", created.Name);
        Assert.Equal(email.ToLowerInvariant(), created.Email);
        Assert.Equal("""{"a":[true],"b":1}""", created.Metadata.Json);
        Assert.Equal(created, fetched);
    }

    [Fact]
    public async Task A_second_contributor_with_the_same_email_is_409()
    {
        var email = $"{Unique("dup")}@example.org";
        await (await Client.PostJsonAsync("/contributors", new NewContributor("One") { Email = email })).ReadAsync<Contributor>(HttpStatusCode.Created);

        var problem = await (await Client.PostJsonAsync("/contributors", new NewContributor("Two") { Email = email.ToUpperInvariant() })).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains(email, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_contributors_by_email_finds_the_one_or_answers_404()
    {
        var email = $"{Unique("grace")}@example.org";
        var created = await (await Client.PostJsonAsync("/contributors", new NewContributor("Grace") { Email = email })).ReadAsync<Contributor>(HttpStatusCode.Created);

        var found = await Client.GetJsonAsync<Contributor>($"/contributors?email={Uri.EscapeDataString(email.ToUpperInvariant())}");

        Assert.Equal(created, found);
        await (await Client.GetAsync($"/contributors?email=nobody-{email}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Get_contributors_lists_newest_first_with_limit_and_offset()
    {
        var a = await (await Client.PostJsonAsync("/contributors", new NewContributor("A"))).ReadAsync<Contributor>(HttpStatusCode.Created);
        var b = await (await Client.PostJsonAsync("/contributors", new NewContributor("B"))).ReadAsync<Contributor>(HttpStatusCode.Created);

        var newest = await Client.GetJsonAsync<Contributor[]>("/contributors?limit=1");
        var next = await Client.GetJsonAsync<Contributor[]>("/contributors?limit=1&offset=1");

        Assert.Equal([b.Id], newest.Select(c => c.Id));
        Assert.Equal([a.Id], next.Select(c => c.Id));
        await (await Client.GetAsync("/contributors?offset=-1")).AssertInvalidAsync("offset");
    }

    [Fact]
    public async Task Contributor_errors_map_to_400_404_and_422()
    {
        await (await Client.GetAsync("/contributors/not-a-guid")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Client.GetAsync($"/contributors/{Guid.NewGuid()}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Client.PostJsonAsync("/contributors", new NewContributor("  "))).AssertInvalidAsync("name");
        await (await Client.SendRawAsync(HttpMethod.Post, "/contributors", """{"name":"x","metadata":[1]}""")).AssertInvalidAsync("metadata");
        await (await Client.SendRawAsync(HttpMethod.Post, "/contributors", json: null)).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Client.PostAsync("/contributors", new StringContent("name=Ada"))).ProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Assets_are_created_fetched_and_listed()
    {
        var response = await Client.PostJsonAsync("/assets", new NewAsset(Unique("model"), AssetType.Model) { Description = "weights" });
        var created = await response.ReadAsync<Asset>(HttpStatusCode.Created);

        var fetched = await Client.GetJsonAsync<Asset>(response.Headers.Location!.OriginalString);
        var listed = await Client.GetJsonAsync<Asset[]>("/assets?limit=1&offset=0");

        Assert.Equal(AssetType.Model, created.AssetType);
        Assert.Equal(0m, created.TotalCost);
        Assert.Equal(created, fetched);
        Assert.Equal([created.Id], listed.Select(a => a.Id));
    }

    [Fact]
    public async Task Asset_errors_map_to_400_404_and_422()
    {
        await (await Client.SendRawAsync(HttpMethod.Post, "/assets", """{"name":"x","assetType":"Spaceship"}""")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Client.SendRawAsync(HttpMethod.Post, "/assets", """{"name":"x","assetType":1}""")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Client.GetAsync($"/assets/{Guid.NewGuid()}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Client.GetAsync("/assets?limit=101")).AssertInvalidAsync("limit");
    }

    [Fact]
    public async Task Contributions_add_to_the_asset_total_and_filter_by_asset_and_contributor()
    {
        var contributor = await (await Client.PostJsonAsync("/contributors", new NewContributor("Lin"))).ReadAsync<Contributor>(HttpStatusCode.Created);
        var asset = await (await Client.PostJsonAsync("/assets", new NewAsset("dataset", AssetType.Data))).ReadAsync<Asset>(HttpStatusCode.Created);
        var other = await (await Client.PostJsonAsync("/assets", new NewAsset("other", AssetType.Code))).ReadAsync<Asset>(HttpStatusCode.Created);

        var response = await Client.PostJsonAsync("/contributions", new NewContribution(contributor.Id, asset.Id, 12.50m, 0.75m));
        var first = await response.ReadAsync<Contribution>(HttpStatusCode.Created);
        var second = await (await Client.PostJsonAsync("/contributions", new NewContribution(contributor.Id, asset.Id, 0.25m, 1m))).ReadAsync<Contribution>(HttpStatusCode.Created);
        await (await Client.PostJsonAsync("/contributions", new NewContribution(contributor.Id, other.Id, 1m, 0m))).ReadAsync<Contribution>(HttpStatusCode.Created);

        var fetched = await Client.GetJsonAsync<Contribution>(response.Headers.Location!.OriginalString);
        var byAsset = await Client.GetJsonAsync<Contribution[]>($"/contributions?assetId={asset.Id}");
        var byBoth = await Client.GetJsonAsync<Contribution[]>($"/contributions?assetId={asset.Id}&contributorId={contributor.Id}&limit=1&offset=1");
        var byContributor = await Client.GetJsonAsync<Contribution[]>($"/contributions?contributorId={contributor.Id}");
        var total = (await Client.GetJsonAsync<Asset>($"/assets/{asset.Id}")).TotalCost;

        Assert.Equal(first, fetched);
        Assert.Equal([second.Id, first.Id], byAsset.Select(c => c.Id));
        Assert.Equal([first.Id], byBoth.Select(c => c.Id));
        Assert.Equal(3, byContributor.Length);
        Assert.Equal(12.75m, total);
    }

    [Fact]
    public async Task Contribution_errors_map_to_400_404_and_422()
    {
        var contributor = await (await Client.PostJsonAsync("/contributors", new NewContributor("Kim"))).ReadAsync<Contributor>(HttpStatusCode.Created);

        var missingAsset = await (await Client.PostJsonAsync("/contributions", new NewContribution(contributor.Id, Guid.NewGuid(), 1m, 0.5m))).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("asset", missingAsset.GetProperty("entity").GetString());

        var asset = await (await Client.PostJsonAsync("/assets", new NewAsset("a", AssetType.Content))).ReadAsync<Asset>(HttpStatusCode.Created);
        await (await Client.PostJsonAsync("/contributions", new NewContribution(contributor.Id, asset.Id, 1.234m, 0.5m))).AssertInvalidAsync("cost_amount");
        await (await Client.GetAsync($"/contributions/{Guid.NewGuid()}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Client.GetAsync("/contributions?assetId=nope")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Metadata_is_sent_and_returned_as_a_json_object()
    {
        var response = await Client.SendRawAsync(HttpMethod.Post, "/assets", """{"name":"m","assetType":"Code","metadata":{"z":1,"a":{"n":null}}}""");

        var body = await response.ReadAsync<JsonElement>(HttpStatusCode.Created);

        Assert.Equal(JsonValueKind.Object, body.GetProperty("metadata").ValueKind);
        Assert.Equal("""{"a":{"n":null},"z":1}""", body.GetProperty("metadata").GetRawText());
        Assert.Equal("Code", body.GetProperty("assetType").GetString());
    }
}

namespace Storage.Testing;

public abstract partial class GraphStoreContractTests
{
    /// <summary>Big-endian byte order of UUIDs is the ordinal order of their lower-case canonical text.</summary>
    private static string[] ByIdText(IEnumerable<Guid> ids) => ids.Select(id => id.ToString("D")).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public virtual async Task Streams_of_an_empty_store_are_empty()
        => await AssertContentsAsync(new GraphContents([], [], [], [], []));

    [Fact]
    public virtual async Task StreamProjectsAsync_orders_by_key_with_dependency_counts()
    {
        await UpsertAsync("pypi", "a");
        await UpsertNpmAsync("😀", "z", "é", "b");
        await UpsertAsync("cargo", "z");
        await AddNpmEdgesAsync(("b", "z"), ("b", "é"), ("z", "😀"));

        var projects = await ToListAsync(Store.StreamProjectsAsync());

        Assert.Equal(["cargo/z", "npm/b", "npm/z", "npm/é", "npm/😀", "pypi/a"], projects.Select(p => p.Key.ToString()).ToArray());
        Assert.Equal([0, 2, 1, 0, 0, 0], projects.Select(p => p.DependencyCount).ToArray());
        Assert.Equal(await Store.GetProjectAsync(Npm("b")), projects[1]);
    }

    [Fact]
    public virtual async Task StreamDependenciesAsync_orders_by_from_then_to()
    {
        await UpsertNpmAsync("a", "b", "c");
        await UpsertAsync("cargo", "x");
        await AddNpmEdgesAsync(("c", "a"), ("a", "c"), ("b", "a"), ("a", "b"));
        await Store.AddDependencyAsync(Npm("a"), Key("cargo", "x"));
        await Store.AddDependencyAsync(Key("cargo", "x"), Npm("c"));

        var edges = await ToListAsync(Store.StreamDependenciesAsync());

        Assert.Equal(
            ["cargo/x>npm/c", "npm/a>cargo/x", "npm/a>npm/b", "npm/a>npm/c", "npm/b>npm/a", "npm/c>npm/a"],
            edges.Select(e => $"{e.From}>{e.To}").ToArray());
    }

    [Fact]
    public virtual async Task StreamContributorsAsync_orders_by_id_in_uuid_byte_order()
    {
        var created = new List<Contributor>();
        for (var i = 0; i < 6; i++)
        {
            created.Add(await CreateContributorAsync($"c{i}", $"c{i}@example.com"));
            Time.Advance(Step);
        }

        await Store.ImportContributorsAsync([
            ImportedContributor(Guid.Parse("ffffffff-0000-4000-8000-000000000000"), null),
            ImportedContributor(Guid.Parse("00000000-0000-4000-8000-0000000000ff"), null),
            ImportedContributor(Guid.Parse("00000001-0000-4000-8000-000000000000"), null),
        ]);

        var streamed = await ToListAsync(Store.StreamContributorsAsync());

        Assert.Equal(9, streamed.Count);
        Assert.Equal(ByIdText(streamed.Select(c => c.Id)), streamed.Select(c => c.Id.ToString("D")).ToArray());
        Assert.Equal(created.OrderBy(c => c.Id, StorageOrdering.Uuid), streamed.Where(c => c.Email is not null));
    }

    [Fact]
    public virtual async Task StreamAssetsAsync_orders_by_id_with_current_totals()
    {
        var contributor = await CreateContributorAsync();
        var assets = new List<Asset>();
        for (var i = 0; i < 6; i++)
        {
            assets.Add(await CreateAssetAsync($"a{i}"));
        }

        await ContributeAsync(contributor.Id, assets[2].Id, 3.5m);

        var streamed = await ToListAsync(Store.StreamAssetsAsync());

        Assert.Equal(ByIdText(assets.Select(a => a.Id)), streamed.Select(a => a.Id.ToString("D")).ToArray());
        Assert.Equal("3.50", Text(streamed.Single(a => a.Id == assets[2].Id).TotalCost));
        Assert.Equal(assets.Select(a => a.Id == assets[2].Id ? a with { TotalCost = 3.5m } : a).OrderBy(a => a.Id, StorageOrdering.Uuid), streamed);
    }

    [Fact]
    public virtual async Task StreamContributionsAsync_orders_by_id()
    {
        var (contributor, asset) = await LedgerAsync();
        var created = new List<Contribution>();
        for (var i = 0; i < 7; i++)
        {
            created.Add(await ContributeAsync(contributor.Id, asset.Id, i));
            Time.Advance(Step);
        }

        var streamed = await ToListAsync(Store.StreamContributionsAsync());

        Assert.Equal(ByIdText(created.Select(c => c.Id)), streamed.Select(c => c.Id.ToString("D")).ToArray());
        Assert.Equal(created.OrderBy(c => c.Id, StorageOrdering.Uuid), streamed);
    }

    [Fact]
    public virtual async Task Streams_can_be_enumerated_again_and_see_later_writes()
    {
        await UpsertNpmAsync("a");
        var stream = Store.StreamProjectsAsync();
        Assert.Single(await ToListAsync(stream));

        await UpsertNpmAsync("b");

        Assert.Equal(["a", "b"], Names(await ToListAsync(stream)));
    }

    [Fact]
    public virtual async Task ListProjectsAsync_returns_projects_in_code_point_key_order()
    {
        var names = new[] { "ｚ", "b", "a_b", "😀", "a.b", "é", "a-b", "a", "z" };
        foreach (var name in names)
        {
            await UpsertAsync("npm", name);
        }

        await UpsertAsync("cargo", "zz");
        await UpsertAsync("pypi", "a");

        var page = await Store.ListProjectsAsync(null, 100);

        Assert.Equal(
            ["cargo/zz", "npm/a", "npm/a-b", "npm/a.b", "npm/a_b", "npm/b", "npm/z", "npm/é", "npm/ｚ", "npm/😀", "pypi/a"],
            page.Select(p => p.Key.ToString()).ToArray());
    }

    [Fact]
    public virtual async Task ListProjectsAsync_keyset_pages_visit_every_project_once_in_order()
    {
        var expected = new List<string>();
        for (var i = 24; i >= 0; i--)
        {
            await UpsertAsync(i % 2 == 0 ? "npm" : "pypi", $"p{i:D2}");
        }

        var seen = new List<string>();
        ProjectKey? after = null;
        while (true)
        {
            var page = await Store.ListProjectsAsync(after, 7);
            Assert.True(page.Count <= 7);
            if (page.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Select(p => p.Key.ToString()));
            after = page[^1].Key;
        }

        expected.AddRange(Enumerable.Range(0, 25).Where(i => i % 2 == 0).Select(i => $"npm/p{i:D2}"));
        expected.AddRange(Enumerable.Range(0, 25).Where(i => i % 2 == 1).Select(i => $"pypi/p{i:D2}"));
        Assert.Equal(expected, seen);
    }

    [Fact]
    public virtual async Task ListProjectsAsync_after_need_not_exist_and_is_normalized()
    {
        await UpsertNpmAsync("a", "c", "e");
        await UpsertAsync("pypi", "a");

        Assert.Equal(["c", "e", "a"], Names(await Store.ListProjectsAsync(Npm("b"), 10)));
        Assert.Equal(["e", "a"], Names(await Store.ListProjectsAsync(Key(" NPM ", "C"), 10)));
        Assert.Equal(["a"], Names(await Store.ListProjectsAsync(Key("npm", "zzz"), 10)));
        Assert.Empty(await Store.ListProjectsAsync(Key("pypi", "a"), 10));
        Assert.Empty(await Store.ListProjectsAsync(Key("zzz", "a"), 10));
    }

    [Fact]
    public virtual async Task ListProjectsAsync_empty_store_returns_an_empty_page()
    {
        Assert.Empty(await Store.ListProjectsAsync(null, 10));
        Assert.Empty(await Store.ListProjectsAsync(Npm("a"), 10));
    }

    [Fact]
    public virtual async Task ListProjectsAsync_returns_dependency_counts()
    {
        await UpsertNpmAsync("a", "b", "c");
        await AddNpmEdgesAsync(("a", "b"), ("a", "c"), ("b", "c"));

        var page = await Store.ListProjectsAsync(null, 2);

        Assert.Equal([2, 1], page.Select(p => p.DependencyCount).ToArray());
    }
}

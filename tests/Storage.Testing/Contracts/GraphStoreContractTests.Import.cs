namespace Storage.Testing;

public abstract partial class GraphStoreContractTests
{
    private static readonly DateTimeOffset Past = new(2020, 5, 17, 8, 30, 15, TimeSpan.Zero);

    private static Project ImportedProject(string ecosystem, string name, string? description = null, int dependencyCount = 0)
        => new(ecosystem, name, "1.0.0", description, "https://example.com", "https://example.com/repo", dependencyCount, Past, Past.AddDays(1));

    [Fact]
    public virtual async Task ImportProjectsAsync_writes_records_exactly_as_given()
    {
        var projects = new[]
        {
            ImportedProject("npm", "react", "UI 🚀") with { CreatedAt = Past.AddTicks(10), UpdatedAt = Past.AddTicks(20) },
            ImportedProject("pypi", "requests") with { Version = null, HomepageUrl = null, RepositoryUrl = null },
        };

        Assert.Equal(2, await Store.ImportProjectsAsync(projects));

        Assert.Equal(projects[0], await Store.GetProjectAsync(Npm("react")));
        Assert.Equal(projects[1], await Store.GetProjectAsync(Key("pypi", "requests")));
        Assert.Equal(projects, await ToListAsync(Store.StreamProjectsAsync()));
    }

    [Fact]
    public virtual async Task ImportProjectsAsync_normalizes_keys_and_fields_and_converts_times_to_utc()
    {
        var local = new DateTimeOffset(2021, 3, 4, 10, 0, 0, TimeSpan.FromHours(2));

        await Store.ImportProjectsAsync([new Project(" NPM ", "React", " 1.0 ", " kept ", " https://react.dev ", null, 0, local, local)]);

        var stored = await Store.GetProjectAsync(Npm("react"));
        Assert.Equal(new Project("npm", "react", "1.0", " kept ", "https://react.dev", null, 0, local, local), stored);
        Assert.Equal(TimeSpan.Zero, stored!.CreatedAt.Offset);
        Assert.Equal(new DateTime(2021, 3, 4, 8, 0, 0, DateTimeKind.Utc), stored.UpdatedAt.UtcDateTime);
    }

    [Fact]
    public virtual async Task ImportProjectsAsync_ignores_the_given_dependency_count()
    {
        await Store.ImportProjectsAsync([ImportedProject("npm", "app", dependencyCount: 5)]);

        Assert.Equal(0, (await Store.GetProjectAsync(Npm("app")))!.DependencyCount);
        Assert.Equal(0, (await ToListAsync(Store.StreamProjectsAsync()))[0].DependencyCount);
    }

    [Fact]
    public virtual async Task ImportProjectsAsync_existing_project_is_replaced_and_keeps_its_edges()
    {
        await UpsertNpmAsync("app", "lib");
        await AddNpmEdgesAsync(("app", "lib"));
        var replacement = ImportedProject("npm", "app", "imported", dependencyCount: 0);

        await Store.ImportProjectsAsync([replacement]);

        Assert.Equal(replacement with { DependencyCount = 1 }, await Store.GetProjectAsync(Npm("app")));
        Assert.Equal(1, await Store.CountDependentsAsync(Npm("lib")));
    }

    [Fact]
    public virtual async Task ImportProjectsAsync_same_records_twice_changes_nothing()
    {
        var projects = new[] { ImportedProject("npm", "a"), ImportedProject("npm", "b", "desc") };
        await Store.ImportProjectsAsync(projects);
        await Store.ImportDependenciesAsync([new DependencyEdge(Npm("a"), Npm("b"))]);
        var before = await ReadContentsAsync();
        Time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(2, await Store.ImportProjectsAsync(projects));
        Assert.Equal(1, await Store.ImportDependenciesAsync([new DependencyEdge(Npm("a"), Npm("b"))]));

        await AssertContentsAsync(before);
    }

    [Fact]
    public virtual async Task ImportProjectsAsync_key_named_twice_in_a_batch_is_invalid_and_writes_nothing()
    {
        var batch = new[] { ImportedProject("npm", "a"), ImportedProject("npm", "b"), ImportedProject(" NPM ", "A") };

        await AssertInvalidAsync("batch", () => Store.ImportProjectsAsync(batch));

        Assert.Equal(0, await Store.CountProjectsAsync());
    }

    [Fact]
    public virtual async Task ImportProjectsAsync_one_invalid_record_writes_nothing_of_the_batch()
    {
        await UpsertAsync("npm", "existing", "before");
        var batch = new[]
        {
            ImportedProject("npm", "existing", "after"),
            ImportedProject("npm", "good"),
            ImportedProject("npm", "bad") with { HomepageUrl = "ftp://example.com" },
        };

        await AssertInvalidAsync("homepage_url", () => Store.ImportProjectsAsync(batch));

        Assert.Equal(1, await Store.CountProjectsAsync());
        Assert.Equal("before", (await Store.GetProjectAsync(Npm("existing")))!.Description);
    }

    [Fact]
    public virtual async Task ImportProjectsAsync_times_must_have_microsecond_precision_and_be_ordered()
    {
        await AssertInvalidAsync("created_at", () => Store.ImportProjectsAsync([ImportedProject("npm", "a") with { CreatedAt = Past.AddTicks(1) }]));
        await AssertInvalidAsync("updated_at", () => Store.ImportProjectsAsync([ImportedProject("npm", "a") with { UpdatedAt = Past.AddTicks(5) }]));
        await AssertInvalidAsync("updated_at", () => Store.ImportProjectsAsync([ImportedProject("npm", "a") with { UpdatedAt = Past.AddSeconds(-1) }]));

        Assert.Equal(0, await Store.CountProjectsAsync());
    }

    [Fact]
    public virtual async Task Imports_of_an_empty_batch_return_zero_and_write_nothing()
    {
        Assert.Equal(0, await Store.ImportProjectsAsync([]));
        Assert.Equal(0, await Store.ImportDependenciesAsync([]));
        Assert.Equal(0, await Store.ImportContributorsAsync([]));
        Assert.Equal(0, await Store.ImportAssetsAsync([]));
        Assert.Equal(0, await Store.ImportContributionsAsync([]));

        await AssertContentsAsync(new GraphContents([], [], [], [], []));
    }

    [Fact]
    public virtual async Task Imports_reject_a_null_record_with_field_batch()
    {
        await AssertInvalidAsync("batch", () => Store.ImportProjectsAsync([ImportedProject("npm", "a"), null!]));
        await AssertInvalidAsync("batch", () => Store.ImportContributorsAsync([null!]));
        await AssertInvalidAsync("batch", () => Store.ImportAssetsAsync([null!]));
        await AssertInvalidAsync("batch", () => Store.ImportContributionsAsync([null!]));

        Assert.Equal(0, await Store.CountProjectsAsync());
    }

    [Fact]
    public virtual async Task ImportDependenciesAsync_adds_edges_and_counts_follow()
    {
        await UpsertNpmAsync("a", "b", "c");
        await AddNpmEdgesAsync(("a", "b"));

        var count = await Store.ImportDependenciesAsync(
            [new DependencyEdge(Key("NPM", "A"), Npm("b")), new DependencyEdge(Npm("a"), Npm("c")), new DependencyEdge(Npm("c"), Npm("b"))]);

        Assert.Equal(3, count);
        Assert.Equal(2, (await Store.GetProjectAsync(Npm("a")))!.DependencyCount);
        Assert.Equal(2, await Store.CountDependentsAsync(Npm("b")));
        Assert.Equal(
            [new DependencyEdge(Npm("a"), Npm("b")), new DependencyEdge(Npm("a"), Npm("c")), new DependencyEdge(Npm("c"), Npm("b"))],
            await ToListAsync(Store.StreamDependenciesAsync()));
    }

    [Fact]
    public virtual async Task ImportDependenciesAsync_missing_end_is_not_found_and_writes_nothing()
    {
        await UpsertNpmAsync("a", "b");
        var batch = new[] { new DependencyEdge(Npm("a"), Npm("b")), new DependencyEdge(Npm("b"), Npm("ghost")) };

        await AssertNotFoundAsync("project", "npm/ghost", () => Store.ImportDependenciesAsync(batch));
        await AssertNotFoundAsync("project", "npm/ghost", () => Store.ImportDependenciesAsync([new DependencyEdge(Npm("ghost"), Npm("phantom"))]));

        Assert.Empty(await ToListAsync(Store.StreamDependenciesAsync()));
        Assert.Equal(0, (await Store.GetProjectAsync(Npm("a")))!.DependencyCount);
    }

    [Fact]
    public virtual async Task ImportDependenciesAsync_self_edge_or_duplicate_edge_is_invalid_and_writes_nothing()
    {
        await UpsertNpmAsync("a", "b");

        var good = new DependencyEdge(Npm("a"), Npm("b"));

        await AssertInvalidAsync("dependency", () => Store.ImportDependenciesAsync([good, new DependencyEdge(Npm("a"), Key("NPM", "A"))]));
        await AssertInvalidAsync("batch", () => Store.ImportDependenciesAsync([good, new DependencyEdge(Key("npm", "A"), Npm("B"))]));
        await AssertInvalidAsync("ecosystem", () => Store.ImportDependenciesAsync([good, new DependencyEdge(Key("", "a"), Npm("b"))]));

        Assert.Empty(await ToListAsync(Store.StreamDependenciesAsync()));
    }

    [Fact]
    public virtual async Task ImportDependenciesAsync_validation_comes_before_reference_checks()
        => await AssertInvalidAsync(
            "dependency",
            () => Store.ImportDependenciesAsync([new DependencyEdge(Npm("ghost"), Npm("b")), new DependencyEdge(Npm("c"), Npm("c"))]));

    [Fact]
    public virtual async Task Imports_of_the_streamed_contents_change_nothing()
    {
        await UpsertNpmAsync("a", "b", "c");
        await AddNpmEdgesAsync(("a", "b"), ("b", "c"), ("a", "c"));
        var ada = await CreateContributorAsync("Ada", "ada@example.com");
        var asset = await CreateAssetAsync();
        Time.Advance(Step);
        await ContributeAsync(ada.Id, asset.Id, 1.1m);
        await ContributeAsync(ada.Id, asset.Id, 2.2m);
        var exported = await ReadContentsAsync();
        Time.Advance(Step);

        Assert.Equal(3, await Store.ImportProjectsAsync(exported.Projects.ToArray()));
        Assert.Equal(3, await Store.ImportDependenciesAsync(exported.Edges.ToArray()));
        Assert.Equal(1, await Store.ImportContributorsAsync(exported.Contributors.ToArray()));
        Assert.Equal(1, await Store.ImportAssetsAsync(exported.Assets.ToArray()));
        Assert.Equal(2, await Store.ImportContributionsAsync(exported.Contributions.ToArray()));

        await AssertContentsAsync(exported);
        Assert.Equal("3.30", Text((await Store.GetAssetAsync(asset.Id))!.TotalCost));
    }
}

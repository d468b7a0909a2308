namespace Storage.Testing;

public abstract partial class GraphStoreContractTests
{
    private Task<Project> UpsertWithAsync(Func<ProjectUpsert, ProjectUpsert> configure)
        => Store.UpsertProjectAsync(configure(new ProjectUpsert("npm", "react")));

    [Fact]
    public virtual async Task UpsertProjectAsync_key_parts_empty_or_whitespace_are_invalid()
    {
        await AssertInvalidAsync("ecosystem", () => UpsertAsync("", "react"));
        await AssertInvalidAsync("ecosystem", () => UpsertAsync(" \t ", "react"));
        await AssertInvalidAsync("ecosystem", () => UpsertAsync(null!, "react"));
        await AssertInvalidAsync("name", () => UpsertAsync("npm", ""));
        await AssertInvalidAsync("name", () => UpsertAsync("npm", "\n"));
        await AssertInvalidAsync("name", () => UpsertAsync("npm", null!));
        await AssertInvalidAsync("ecosystem", () => UpsertAsync("", ""));

        Assert.Equal(0, await Store.CountProjectsAsync());
    }

    [Fact]
    public virtual async Task UpsertProjectAsync_lengths_at_the_limit_are_accepted_after_trimming()
    {
        var project = await Store.UpsertProjectAsync(new ProjectUpsert("  " + new string('e', 50) + "  ", " " + new string('n', 255) + " ")
        {
            Version = new string('v', 100),
            Description = new string('d', 10_000),
            HomepageUrl = "https://example.com/" + new string('h', 2_048 - 20),
            RepositoryUrl = "http://example.com/" + new string('r', 2_048 - 19),
        });

        Assert.Equal((50, 255, 100, 10_000), (project.Ecosystem.Length, project.Name.Length, project.Version!.Length, project.Description!.Length));
        Assert.Equal((2_048, 2_048), (project.HomepageUrl!.Length, project.RepositoryUrl!.Length));
    }

    [Fact]
    public virtual async Task UpsertProjectAsync_lengths_over_the_limit_are_invalid()
    {
        await AssertInvalidAsync("ecosystem", () => UpsertAsync(new string('e', 51), "react"));
        await AssertInvalidAsync("name", () => UpsertAsync("npm", new string('n', 256)));
        await AssertInvalidAsync("version", () => UpsertWithAsync(p => p with { Version = new string('v', 101) }));
        await AssertInvalidAsync("description", () => UpsertWithAsync(p => p with { Description = new string('d', 10_001) }));
        await AssertInvalidAsync("homepage_url", () => UpsertWithAsync(p => p with { HomepageUrl = "https://example.com/" + new string('h', 2_049 - 20) }));
        await AssertInvalidAsync("repository_url", () => UpsertWithAsync(p => p with { RepositoryUrl = "https://example.com/" + new string('r', 2_049 - 20) }));

        Assert.Equal(0, await Store.CountProjectsAsync());
    }

    [Fact]
    public virtual async Task UpsertProjectAsync_lengths_count_utf16_code_units()
    {
        var emoji = string.Concat(Enumerable.Repeat("😀", 127));

        var project = await UpsertAsync("npm", emoji + "a");

        Assert.Equal(255, project.Name.Length);
        await AssertInvalidAsync("name", () => UpsertAsync("npm", emoji + "😀"));
        await AssertInvalidAsync("description", () => UpsertWithAsync(p => p with { Description = string.Concat(Enumerable.Repeat("日🚀", 3_334)) }));
    }

    [Fact]
    public virtual async Task UpsertProjectAsync_nul_character_is_invalid_in_every_field()
    {
        await AssertInvalidAsync("ecosystem", () => UpsertAsync("n\0pm", "react"));
        await AssertInvalidAsync("name", () => UpsertAsync("npm", "re\0act"));
        await AssertInvalidAsync("version", () => UpsertWithAsync(p => p with { Version = "1.0\0" }));
        await AssertInvalidAsync("description", () => UpsertWithAsync(p => p with { Description = "\0" }));
        await AssertInvalidAsync("homepage_url", () => UpsertWithAsync(p => p with { HomepageUrl = "https://exa\0mple.com" }));
        await AssertInvalidAsync("repository_url", () => UpsertWithAsync(p => p with { RepositoryUrl = "https://example.com/\0" }));

        Assert.Equal(0, await Store.CountProjectsAsync());
    }

    [Fact]
    public virtual async Task UpsertProjectAsync_unpaired_surrogate_is_invalid_and_a_pair_is_accepted()
    {
        await AssertInvalidAsync("name", () => UpsertAsync("npm", "bad\uD83D"));
        await AssertInvalidAsync("name", () => UpsertAsync("npm", "\uDE00bad"));
        await AssertInvalidAsync("ecosystem", () => UpsertAsync("np\uDC00m", "react"));
        await AssertInvalidAsync("description", () => UpsertWithAsync(p => p with { Description = "x\uDE00\uD83Dy" }));
        await AssertInvalidAsync("version", () => UpsertWithAsync(p => p with { Version = "\uD800" }));

        var ok = await UpsertWithAsync(p => p with { Description = "pair \uD83D\uDE00" });
        Assert.Equal("pair 😀", ok.Description);
    }

    [Fact]
    public virtual async Task UpsertProjectAsync_urls_must_be_absolute_http_or_https()
    {
        string[] invalid = ["/docs", "example.com", "ftp://example.com/file", "mailto:ada@example.com", "file:///etc/passwd", "javascript:alert(1)", "https//x"];
        foreach (var url in invalid)
        {
            await AssertInvalidAsync("homepage_url", () => UpsertWithAsync(p => p with { HomepageUrl = url }));
            await AssertInvalidAsync("repository_url", () => UpsertWithAsync(p => p with { RepositoryUrl = url }));
        }

        var ok = await UpsertWithAsync(p => p with { HomepageUrl = "http://example.com", RepositoryUrl = "HTTPS://Example.com/Repo?q=1#x" });
        Assert.Equal("http://example.com", ok.HomepageUrl);
        Assert.Equal("HTTPS://Example.com/Repo?q=1#x", ok.RepositoryUrl);
    }

    [Fact]
    public virtual async Task UpsertProjectAsync_homepage_is_validated_before_repository()
        => await AssertInvalidAsync("homepage_url", () => UpsertWithAsync(p => p with { HomepageUrl = "/x", RepositoryUrl = "/y" }));

    [Fact]
    public virtual async Task UpsertProjectAsync_invalid_update_leaves_the_stored_project_unchanged()
    {
        var stored = await UpsertAsync("npm", "react", "original");
        Time.Advance(Step);

        await AssertInvalidAsync("homepage_url", () => UpsertWithAsync(p => p with { Description = "changed", HomepageUrl = "ftp://x" }));

        Assert.Equal(stored, await Store.GetProjectAsync(Npm("react")));
    }

    [Fact]
    public virtual async Task Project_reads_and_deletes_validate_the_key()
    {
        await AssertInvalidAsync("ecosystem", () => Store.GetProjectAsync(Key(" ", "react")));
        await AssertInvalidAsync("name", () => Store.GetProjectAsync(Key("npm", "")));
        await AssertInvalidAsync("name", () => Store.GetProjectAsync(Key("npm", new string('n', 256))));
        await AssertInvalidAsync("ecosystem", () => Store.DeleteProjectAsync(Key("", "react")));
        await AssertInvalidAsync("name", () => Store.DeleteProjectAsync(Key("npm", "a\0")));
        await AssertInvalidAsync("ecosystem", () => Store.GetDependenciesAsync(Key("", "a")));
        await AssertInvalidAsync("name", () => Store.GetDependentsAsync(Key("npm", " ")));
        await AssertInvalidAsync("name", () => Store.CountDependentsAsync(Key("npm", "")));
        await AssertInvalidAsync("ecosystem", () => Store.GetTransitiveDependenciesAsync(Key("", "a"), 1));
    }

    [Fact]
    public virtual async Task ListProjectsAsync_validates_after_then_limit()
    {
        await UpsertNpmAsync("a");

        await AssertInvalidAsync("limit", () => Store.ListProjectsAsync(null, 0));
        await AssertInvalidAsync("limit", () => Store.ListProjectsAsync(null, 1_001));
        await AssertInvalidAsync("limit", () => Store.ListProjectsAsync(null, -5));
        await AssertInvalidAsync("ecosystem", () => Store.ListProjectsAsync(Key(" ", "a"), 0));
        await AssertInvalidAsync("name", () => Store.ListProjectsAsync(Key("npm", ""), 10));
        Assert.Single(await Store.ListProjectsAsync(null, 1));
        Assert.Single(await Store.ListProjectsAsync(null, 1_000));
    }

    [Fact]
    public virtual async Task Operations_with_a_canceled_token_throw_and_write_nothing()
    {
        await UpsertNpmAsync("a", "b");
        var contributor = await CreateContributorAsync();
        var asset = await CreateAssetAsync();
        var before = await ReadContentsAsync();
        using var source = new CancellationTokenSource();
        await source.CancelAsync();
        var token = source.Token;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.UpsertProjectAsync(new ProjectUpsert("npm", "c"), token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.DeleteProjectAsync(Npm("a"), token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.AddDependencyAsync(Npm("a"), Npm("b"), token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.CreateContributorAsync(new NewContributor("x"), token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.CreateAssetAsync(new NewAsset("x", AssetType.Code), token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.CreateContributionAsync(new NewContribution(contributor.Id, asset.Id, 1m, 1m), token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.ImportProjectsAsync([ImportedProject("npm", "z")], token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.GetProjectAsync(Npm("a"), token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.SearchProjectsAsync(new ProjectSearch("a"), token));

        await AssertContentsAsync(before);
    }

    [Fact]
    public virtual async Task Streams_with_a_canceled_token_throw_when_enumerated()
    {
        await UpsertNpmAsync("a");
        using var source = new CancellationTokenSource();
        await source.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ToListAsync(Store.StreamProjectsAsync(source.Token)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ToListAsync(Store.StreamDependenciesAsync(source.Token)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ToListAsync(Store.StreamContributorsAsync(source.Token)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ToListAsync(Store.StreamAssetsAsync(source.Token)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ToListAsync(Store.StreamContributionsAsync(source.Token)));
    }
}

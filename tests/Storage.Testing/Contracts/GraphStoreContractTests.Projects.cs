namespace Storage.Testing;

public abstract partial class GraphStoreContractTests
{
    [Fact]
    public virtual async Task UpsertProjectAsync_new_project_is_created_with_created_and_updated_now()
    {
        var project = await Store.UpsertProjectAsync(new ProjectUpsert("npm", "react")
        {
            Version = "18.2.0",
            Description = "A UI library",
            HomepageUrl = "https://react.dev",
            RepositoryUrl = "https://github.com/facebook/react",
        });

        var expected = new Project("npm", "react", "18.2.0", "A UI library", "https://react.dev", "https://github.com/facebook/react", 0, Now, Now);
        Assert.Equal(expected, project);
        Assert.Equal(expected, await Store.GetProjectAsync(Npm("react")));
        Assert.Equal(TimeSpan.Zero, project.CreatedAt.Offset);
    }

    [Fact]
    public virtual async Task UpsertProjectAsync_key_is_trimmed_and_lower_cased()
    {
        var project = await UpsertAsync(" NPM ", " React ");

        Assert.Equal(("npm", "react"), (project.Ecosystem, project.Name));
        Assert.Equal(Npm("react"), project.Key);
        Assert.Equal(project, await Store.GetProjectAsync(Npm("react")));
    }

    [Fact]
    public virtual async Task GetProjectAsync_unnormalized_key_finds_the_project()
    {
        await UpsertAsync("npm", "react");

        var found = await Store.GetProjectAsync(Key(" NPM ", "React"));

        Assert.NotNull(found);
        Assert.Equal(("npm", "react"), (found.Ecosystem, found.Name));
    }

    [Fact]
    public virtual async Task GetProjectAsync_missing_key_returns_null()
    {
        await UpsertAsync("npm", "react");

        Assert.Null(await Store.GetProjectAsync(Npm("vue")));
        Assert.Null(await Store.GetProjectAsync(Key("pypi", "react")));
    }

    [Fact]
    public virtual async Task UpsertProjectAsync_existing_project_keeps_created_and_sets_updated()
    {
        var created = await UpsertAsync("npm", "react", "first");
        Time.Advance(TimeSpan.FromMinutes(5));

        var updated = await UpsertAsync("NPM", "REACT", "second");

        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.Equal(Now, updated.UpdatedAt);
        Assert.True(updated.UpdatedAt > updated.CreatedAt);
        Assert.Equal("second", updated.Description);
        Assert.Equal(1, await Store.CountProjectsAsync());
        Assert.Equal(updated, await Store.GetProjectAsync(Npm("react")));
    }

    [Fact]
    public virtual async Task UpsertProjectAsync_existing_project_replaces_every_non_key_field()
    {
        await Store.UpsertProjectAsync(new ProjectUpsert("npm", "react")
        {
            Version = "1.0",
            Description = "old",
            HomepageUrl = "https://old.example",
            RepositoryUrl = "https://old.example/repo",
        });
        Time.Advance(Step);

        var replaced = await Store.UpsertProjectAsync(new ProjectUpsert("npm", "react") { Version = "2.0" });

        Assert.Equal("2.0", replaced.Version);
        Assert.Null(replaced.Description);
        Assert.Null(replaced.HomepageUrl);
        Assert.Null(replaced.RepositoryUrl);
        Assert.Equal(replaced, await Store.GetProjectAsync(Npm("react")));
    }

    [Fact]
    public virtual async Task UpsertProjectAsync_short_fields_are_trimmed_and_description_is_kept_exactly()
    {
        var project = await Store.UpsertProjectAsync(new ProjectUpsert("npm", "react")
        {
            Version = "  1.2.3\t",
            Description = "  spaced\n text  ",
            HomepageUrl = "  https://react.dev/  ",
        });

        Assert.Equal("1.2.3", project.Version);
        Assert.Equal("  spaced\n text  ", project.Description);
        Assert.Equal("https://react.dev/", project.HomepageUrl);
    }

    [Fact]
    public virtual async Task UpsertProjectAsync_whitespace_only_optional_fields_become_null()
    {
        var project = await Store.UpsertProjectAsync(new ProjectUpsert("npm", "react")
        {
            Version = "   ",
            HomepageUrl = " ",
            RepositoryUrl = "",
        });

        Assert.Null(project.Version);
        Assert.Null(project.HomepageUrl);
        Assert.Null(project.RepositoryUrl);
    }

    [Fact]
    public virtual async Task UpsertProjectAsync_empty_description_is_kept_as_empty_text()
    {
        var project = await UpsertAsync("npm", "react", "");

        Assert.Equal("", project.Description);
        Assert.Equal("", (await Store.GetProjectAsync(Npm("react")))!.Description);
    }

    [Fact]
    public virtual async Task UpsertProjectAsync_returns_the_dependency_count_of_existing_edges()
    {
        await UpsertNpmAsync("app", "a", "b");
        await AddNpmEdgesAsync(("app", "a"), ("app", "b"));

        var updated = await UpsertAsync("npm", "app", "new description");

        Assert.Equal(2, updated.DependencyCount);
        Assert.Equal(2, (await Store.GetProjectAsync(Npm("app")))!.DependencyCount);
    }

    [Fact]
    public virtual async Task UpsertProjectAsync_time_is_truncated_to_whole_microseconds()
    {
        Time.SetUtcNow(ManualTimeProvider.DefaultStart.AddTicks(15));

        var project = await UpsertAsync("npm", "react");

        var expected = ManualTimeProvider.DefaultStart.AddTicks(10);
        Assert.Equal(expected, project.CreatedAt);
        Assert.Equal(expected, project.UpdatedAt);
        Assert.Equal(expected, (await Store.GetProjectAsync(Npm("react")))!.CreatedAt);
    }

    [Fact]
    public virtual async Task UpsertProjectAsync_unicode_text_round_trips_and_keys_fold_non_ascii()
    {
        var description = "Café ☕, 日本語, emoji 🚀👩‍💻, combining e\u0301";

        var project = await Store.UpsertProjectAsync(new ProjectUpsert("Crates", "ÉCOLE-日本-🚀") { Description = description, Version = "β-1" });

        Assert.Equal("école-日本-🚀", project.Name);
        Assert.Equal("crates", project.Ecosystem);
        Assert.Equal(description, project.Description);
        Assert.Equal("β-1", project.Version);
        Assert.Equal(project, await Store.GetProjectAsync(Key("crates", "École-日本-🚀")));
    }

    [Fact]
    public virtual async Task CountProjectsAsync_counts_stored_projects()
    {
        Assert.Equal(0, await Store.CountProjectsAsync());
        await UpsertNpmAsync("a", "b", "c");
        await UpsertAsync("NPM", "A");
        Assert.Equal(3, await Store.CountProjectsAsync());

        await Store.DeleteProjectAsync(Npm("b"));

        Assert.Equal(2, await Store.CountProjectsAsync());
    }

    [Fact]
    public virtual async Task DeleteProjectAsync_existing_project_returns_true_and_removes_it()
    {
        await UpsertNpmAsync("react", "vue");

        Assert.True(await Store.DeleteProjectAsync(Npm("react")));

        Assert.Null(await Store.GetProjectAsync(Npm("react")));
        Assert.NotNull(await Store.GetProjectAsync(Npm("vue")));
    }

    [Fact]
    public virtual async Task DeleteProjectAsync_missing_project_returns_false()
    {
        await UpsertNpmAsync("react");

        Assert.False(await Store.DeleteProjectAsync(Npm("vue")));
        Assert.Equal(1, await Store.CountProjectsAsync());
    }

    [Fact]
    public virtual async Task DeleteProjectAsync_key_is_normalized()
    {
        await UpsertNpmAsync("react");

        Assert.True(await Store.DeleteProjectAsync(Key(" Npm", "REACT ")));
        Assert.False(await Store.DeleteProjectAsync(Npm("react")));
    }

    [Fact]
    public virtual async Task DeleteProjectAsync_removes_edges_both_ways_and_dependents_counts_drop()
    {
        await UpsertNpmAsync("a", "b", "c", "d");
        await AddNpmEdgesAsync(("a", "b"), ("c", "a"), ("d", "a"), ("d", "b"), ("c", "d"));

        Assert.True(await Store.DeleteProjectAsync(Npm("a")));

        Assert.Equal(1, (await Store.GetProjectAsync(Npm("c")))!.DependencyCount);
        Assert.Equal(1, (await Store.GetProjectAsync(Npm("d")))!.DependencyCount);
        Assert.Equal(1, await Store.CountDependentsAsync(Npm("b")));
        Assert.Equal(["d"], Names(await Store.GetDependentsAsync(Npm("b"))));
        Assert.Equal(["d"], Names(await Store.GetDependenciesAsync(Npm("c"))));
        Assert.Equal([new DependencyEdge(Npm("c"), Npm("d")), new DependencyEdge(Npm("d"), Npm("b"))], await ToListAsync(Store.StreamDependenciesAsync()));
    }

    [Fact]
    public virtual async Task DeleteProjectAsync_then_upsert_creates_a_fresh_project_without_edges()
    {
        await UpsertNpmAsync("a", "b");
        await AddNpmEdgesAsync(("a", "b"), ("b", "a"));
        await Store.DeleteProjectAsync(Npm("a"));
        Time.Advance(Step);

        var again = await UpsertAsync("npm", "a");

        Assert.Equal(0, again.DependencyCount);
        Assert.Equal(Now, again.CreatedAt);
        Assert.Equal(0, await Store.CountDependentsAsync(Npm("a")));
        Assert.Equal(0, (await Store.GetProjectAsync(Npm("b")))!.DependencyCount);
    }
}

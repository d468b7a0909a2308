namespace Storage.Testing;

public abstract partial class GraphStoreContractTests
{
    private Task<IReadOnlyList<TransitiveDependency>> TransitiveAsync(string name, int maxDepth = StorageLimits.MaxDepth)
        => Store.GetTransitiveDependenciesAsync(Npm(name), maxDepth);

    private static (string Name, int Depth)[] Walk(IEnumerable<TransitiveDependency> found)
        => found.Select(t => (t.Project.Name, t.Depth)).ToArray();

    [Fact]
    public virtual async Task AddDependencyAsync_new_edge_returns_true_and_counts_follow()
    {
        await UpsertNpmAsync("app", "lib");

        Assert.True(await Store.AddDependencyAsync(Npm("app"), Npm("lib")));

        Assert.Equal(1, (await Store.GetProjectAsync(Npm("app")))!.DependencyCount);
        Assert.Equal(0, (await Store.GetProjectAsync(Npm("lib")))!.DependencyCount);
        Assert.Equal(1, await Store.CountDependentsAsync(Npm("lib")));
        Assert.Equal(0, await Store.CountDependentsAsync(Npm("app")));
    }

    [Fact]
    public virtual async Task AddDependencyAsync_existing_edge_returns_false_and_counts_stay()
    {
        await UpsertNpmAsync("app", "lib");
        await AddNpmEdgesAsync(("app", "lib"));

        Assert.False(await Store.AddDependencyAsync(Key("NPM", " App "), Npm("LIB")));

        Assert.Equal(1, (await Store.GetProjectAsync(Npm("app")))!.DependencyCount);
        Assert.Equal(1, await Store.CountDependentsAsync(Npm("lib")));
        Assert.Single(await ToListAsync(Store.StreamDependenciesAsync()));
    }

    [Fact]
    public virtual async Task AddDependencyAsync_keys_are_normalized()
    {
        await UpsertNpmAsync("app", "lib");

        Assert.True(await Store.AddDependencyAsync(Key(" NPM", "App"), Key("Npm ", "LIB")));

        Assert.Equal([new DependencyEdge(Npm("app"), Npm("lib"))], await ToListAsync(Store.StreamDependenciesAsync()));
    }

    [Fact]
    public virtual async Task AddDependencyAsync_reverse_edge_is_a_different_edge()
    {
        await UpsertNpmAsync("a", "b");

        Assert.True(await Store.AddDependencyAsync(Npm("a"), Npm("b")));
        Assert.True(await Store.AddDependencyAsync(Npm("b"), Npm("a")));

        Assert.Equal(1, await Store.CountDependentsAsync(Npm("a")));
        Assert.Equal(1, await Store.CountDependentsAsync(Npm("b")));
    }

    [Fact]
    public virtual async Task AddDependencyAsync_self_edge_is_invalid_with_field_dependency()
    {
        await UpsertNpmAsync("app");

        await AssertInvalidAsync("dependency", () => Store.AddDependencyAsync(Npm("app"), Npm("app")));
        await AssertInvalidAsync("dependency", () => Store.AddDependencyAsync(Key(" NPM ", "APP"), Npm("app")));
        Assert.Equal(0, (await Store.GetProjectAsync(Npm("app")))!.DependencyCount);
    }

    [Fact]
    public virtual async Task AddDependencyAsync_self_edge_on_a_missing_project_is_a_validation_error_first()
        => await AssertInvalidAsync("dependency", () => Store.AddDependencyAsync(Npm("ghost"), Npm("ghost")));

    [Fact]
    public virtual async Task AddDependencyAsync_invalid_key_is_reported_before_missing_projects()
    {
        await AssertInvalidAsync("ecosystem", () => Store.AddDependencyAsync(Npm("ghost"), Key(" ", "lib")));
        await AssertInvalidAsync("name", () => Store.AddDependencyAsync(Key("npm", ""), Npm("ghost")));
    }

    [Fact]
    public virtual async Task AddDependencyAsync_missing_project_throws_not_found()
    {
        await UpsertNpmAsync("lib");

        await AssertNotFoundAsync("project", "npm/app", () => Store.AddDependencyAsync(Key("NPM", "App"), Npm("lib")));
        Assert.Equal(0, await Store.CountDependentsAsync(Npm("lib")));
    }

    [Fact]
    public virtual async Task AddDependencyAsync_missing_dependency_throws_not_found_for_it()
    {
        await UpsertNpmAsync("app");

        await AssertNotFoundAsync("project", "npm/lib", () => Store.AddDependencyAsync(Npm("app"), Npm("lib")));
        Assert.Equal(0, (await Store.GetProjectAsync(Npm("app")))!.DependencyCount);
    }

    [Fact]
    public virtual async Task AddDependencyAsync_both_missing_reports_the_project_first()
        => await AssertNotFoundAsync("project", "npm/app", () => Store.AddDependencyAsync(Npm("app"), Npm("lib")));

    [Fact]
    public virtual async Task AddDependencyAsync_does_not_change_project_times()
    {
        var app = await UpsertAsync("npm", "app");
        var lib = await UpsertAsync("npm", "lib");
        Time.Advance(TimeSpan.FromHours(1));

        await Store.AddDependencyAsync(Npm("app"), Npm("lib"));
        Time.Advance(TimeSpan.FromHours(1));
        await Store.RemoveDependencyAsync(Npm("app"), Npm("lib"));

        Assert.Equal(app, await Store.GetProjectAsync(Npm("app")));
        Assert.Equal(lib, await Store.GetProjectAsync(Npm("lib")));
    }

    [Fact]
    public virtual async Task RemoveDependencyAsync_existing_edge_returns_true_and_counts_drop()
    {
        await UpsertNpmAsync("app", "lib", "util");
        await AddNpmEdgesAsync(("app", "lib"), ("app", "util"));

        Assert.True(await Store.RemoveDependencyAsync(Key("NPM", "APP"), Key("npm", "Lib")));

        Assert.Equal(1, (await Store.GetProjectAsync(Npm("app")))!.DependencyCount);
        Assert.Equal(0, await Store.CountDependentsAsync(Npm("lib")));
        Assert.Equal(["util"], Names(await Store.GetDependenciesAsync(Npm("app"))));
        Assert.False(await Store.RemoveDependencyAsync(Npm("app"), Npm("lib")));
    }

    [Fact]
    public virtual async Task RemoveDependencyAsync_absent_edge_returns_false_without_existence_errors()
    {
        await UpsertNpmAsync("app", "lib");
        await AddNpmEdgesAsync(("app", "lib"));

        Assert.False(await Store.RemoveDependencyAsync(Npm("lib"), Npm("app")));
        Assert.False(await Store.RemoveDependencyAsync(Npm("ghost"), Npm("app")));
        Assert.False(await Store.RemoveDependencyAsync(Npm("app"), Npm("ghost")));
        Assert.False(await Store.RemoveDependencyAsync(Npm("ghost"), Npm("phantom")));
        Assert.Equal(1, (await Store.GetProjectAsync(Npm("app")))!.DependencyCount);
    }

    [Fact]
    public virtual async Task RemoveDependencyAsync_invalid_keys_and_self_edge_are_validation_errors()
    {
        await AssertInvalidAsync("ecosystem", () => Store.RemoveDependencyAsync(Key("", "a"), Npm("b")));
        await AssertInvalidAsync("name", () => Store.RemoveDependencyAsync(Npm("a"), Key("npm", " ")));
        await AssertInvalidAsync("dependency", () => Store.RemoveDependencyAsync(Npm("a"), Key("NPM", "A")));
    }

    [Fact]
    public virtual async Task GetDependenciesAsync_returns_direct_dependencies_in_key_order()
    {
        await UpsertNpmAsync("app", "zeta", "alpha", "mid", "leaf");
        await UpsertAsync("cargo", "zz");
        await AddNpmEdgesAsync(("app", "zeta"), ("app", "alpha"), ("app", "mid"), ("mid", "leaf"));
        await Store.AddDependencyAsync(Npm("app"), Key("cargo", "zz"));

        var dependencies = await Store.GetDependenciesAsync(Key("NPM", "App"));

        Assert.Equal(["cargo/zz", "npm/alpha", "npm/mid", "npm/zeta"], dependencies.Select(p => p.Key.ToString()).ToArray());
        Assert.Equal([0, 0, 1, 0], dependencies.Select(p => p.DependencyCount).ToArray());
        Assert.Empty(await Store.GetDependenciesAsync(Npm("leaf")));
    }

    [Fact]
    public virtual async Task GetDependentsAsync_returns_direct_dependents_in_key_order()
    {
        await UpsertNpmAsync("lib", "zeta", "alpha", "mid");
        await AddNpmEdgesAsync(("zeta", "lib"), ("alpha", "lib"), ("mid", "lib"), ("mid", "alpha"));

        var dependents = await Store.GetDependentsAsync(Npm("LIB"));

        Assert.Equal(["alpha", "mid", "zeta"], Names(dependents));
        Assert.Equal([1, 2, 1], dependents.Select(p => p.DependencyCount).ToArray());
        Assert.Equal(3, await Store.CountDependentsAsync(Npm("lib")));
        Assert.Empty(await Store.GetDependentsAsync(Npm("zeta")));
        Assert.Equal(0, await Store.CountDependentsAsync(Npm("zeta")));
    }

    [Fact]
    public virtual async Task Dependency_reads_of_a_missing_project_throw_not_found()
    {
        await UpsertNpmAsync("app");

        await AssertNotFoundAsync("project", "npm/ghost", () => Store.GetDependenciesAsync(Key("NPM", "Ghost")));
        await AssertNotFoundAsync("project", "npm/ghost", () => Store.GetDependentsAsync(Npm("ghost")));
        await AssertNotFoundAsync("project", "npm/ghost", () => Store.CountDependentsAsync(Npm("ghost")));
        await AssertNotFoundAsync("project", "npm/ghost", () => TransitiveAsync("ghost"));
    }

    [Fact]
    public virtual async Task GetTransitiveDependenciesAsync_chain_reports_each_depth()
    {
        await UpsertNpmAsync("a", "b", "c", "d");
        await AddNpmEdgesAsync(("a", "b"), ("b", "c"), ("c", "d"));

        Assert.Equal([("b", 1), ("c", 2), ("d", 3)], Walk(await TransitiveAsync("a")));
        Assert.Equal([("c", 1), ("d", 2)], Walk(await Store.GetTransitiveDependenciesAsync(Key(" NPM", "B"), 20)));
        Assert.Empty(await TransitiveAsync("d"));
    }

    [Fact]
    public virtual async Task GetTransitiveDependenciesAsync_diamond_reports_each_project_once_at_its_shortest_depth()
    {
        await UpsertNpmAsync("a", "b", "c", "d", "e");
        await AddNpmEdgesAsync(("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("d", "e"), ("b", "e"), ("c", "b"));

        Assert.Equal([("b", 1), ("c", 1), ("d", 2), ("e", 2)], Walk(await TransitiveAsync("a")));
    }

    [Fact]
    public virtual async Task GetTransitiveDependenciesAsync_orders_by_depth_then_key()
    {
        await UpsertNpmAsync("root", "z1", "a1", "m2", "b2", "a3");
        await UpsertAsync("cargo", "x2");
        await AddNpmEdgesAsync(("root", "z1"), ("root", "a1"), ("z1", "b2"), ("a1", "m2"), ("m2", "a3"));
        await Store.AddDependencyAsync(Npm("z1"), Key("cargo", "x2"));

        var found = await TransitiveAsync("root");

        Assert.Equal(
            ["1:npm/a1", "1:npm/z1", "2:cargo/x2", "2:npm/b2", "2:npm/m2", "3:npm/a3"],
            found.Select(t => $"{t.Depth}:{t.Project}").ToArray());
    }

    [Fact]
    public virtual async Task GetTransitiveDependenciesAsync_cycle_terminates_and_never_includes_the_start()
    {
        await UpsertNpmAsync("a", "b", "c");
        await AddNpmEdgesAsync(("a", "b"), ("b", "c"), ("c", "a"), ("c", "b"));

        Assert.Equal([("b", 1), ("c", 2)], Walk(await TransitiveAsync("a")));
        Assert.Equal([("c", 1), ("a", 2)], Walk(await TransitiveAsync("b")));
    }

    [Fact]
    public virtual async Task GetTransitiveDependenciesAsync_max_depth_limits_the_walk()
    {
        var names = Enumerable.Range(0, 25).Select(i => $"n{i:D2}").ToArray();
        await UpsertNpmAsync(names);
        await AddNpmEdgesAsync(names.Zip(names.Skip(1)).ToArray());

        Assert.Equal([("n01", 1)], Walk(await TransitiveAsync("n00", 1)));
        Assert.Equal([("n01", 1), ("n02", 2)], Walk(await TransitiveAsync("n00", 2)));
        var deepest = await TransitiveAsync("n00", 20);
        Assert.Equal(20, deepest.Count);
        Assert.Equal(new TransitiveDependency(Npm("n20"), 20), deepest[^1]);
    }

    [Fact]
    public virtual async Task GetTransitiveDependenciesAsync_max_depth_outside_1_to_20_is_invalid()
    {
        await UpsertNpmAsync("a");

        await AssertInvalidAsync("max_depth", () => TransitiveAsync("a", 0));
        await AssertInvalidAsync("max_depth", () => TransitiveAsync("a", 21));
        await AssertInvalidAsync("max_depth", () => TransitiveAsync("a", -1));
        await AssertInvalidAsync("max_depth", () => TransitiveAsync("ghost", 0));
        Assert.Empty(await TransitiveAsync("a", 1));
        Assert.Empty(await TransitiveAsync("a", 20));
    }
}

namespace Storage.Testing;

public abstract partial class GraphStoreContractTests
{
    private Task<IReadOnlyList<Project>> SearchAsync(string text, int limit = 20)
        => Store.SearchProjectsAsync(new ProjectSearch(text, limit));

    [Fact]
    public virtual async Task SearchProjectsAsync_matches_a_substring_of_the_name()
    {
        await UpsertNpmAsync("react", "react-dom", "preact", "vue");

        Assert.Equal(["preact", "react", "react-dom"], Names(await SearchAsync("react")));
        Assert.Equal(["react-dom"], Names(await SearchAsync("t-d")));
    }

    [Fact]
    public virtual async Task SearchProjectsAsync_matches_a_substring_of_the_description()
    {
        await UpsertAsync("npm", "a", "A declarative UI library");
        await UpsertAsync("npm", "b", "A test runner");
        await UpsertAsync("npm", "c");

        Assert.Equal(["a"], Names(await SearchAsync("declarative")));
        Assert.Equal(["b"], Names(await SearchAsync("TEST runner")));
    }

    [Fact]
    public virtual async Task SearchProjectsAsync_does_not_match_the_ecosystem()
    {
        await UpsertAsync("npm", "react", "UI");

        Assert.Empty(await SearchAsync("npm"));
    }

    [Fact]
    public virtual async Task SearchProjectsAsync_ignores_case_of_text_name_and_description()
    {
        await UpsertAsync("npm", "React", "Hello World");

        Assert.Equal(["react"], Names(await SearchAsync("REACT")));
        Assert.Equal(["react"], Names(await SearchAsync("hello WORLD")));
        Assert.Equal(["react"], Names(await SearchAsync("world")));
    }

    [Fact]
    public virtual async Task SearchProjectsAsync_ignores_case_of_non_ascii_letters()
    {
        await UpsertAsync("npm", "Élan", "École Française");
        await UpsertAsync("npm", "straße", "ΑΘΗΝΑ");

        Assert.Equal(["élan"], Names(await SearchAsync("ÉLAN")));
        Assert.Equal(["élan"], Names(await SearchAsync("éCOLE fRANÇAISE")));
        Assert.Equal(["straße"], Names(await SearchAsync("STRAßE")));
        Assert.Equal(["straße"], Names(await SearchAsync("αθηνα")));
        Assert.Empty(await SearchAsync("ecole"));
    }

    [Fact]
    public virtual async Task SearchProjectsAsync_matches_cjk_and_emoji()
    {
        await UpsertAsync("npm", "日本-lib", "ロケット 🚀 launcher");
        await UpsertAsync("npm", "plain", "no symbols");

        Assert.Equal(["日本-lib"], Names(await SearchAsync("日本")));
        Assert.Equal(["日本-lib"], Names(await SearchAsync("🚀")));
        Assert.Equal(["日本-lib"], Names(await SearchAsync("ト 🚀 l")));
    }

    [Fact]
    public virtual async Task SearchProjectsAsync_underscore_is_literal()
    {
        await UpsertNpmAsync("a_b", "a-b", "axb", "ab");

        Assert.Equal(["a_b"], Names(await SearchAsync("a_b")));
        Assert.Equal(["a-b"], Names(await SearchAsync("a-b")));
        Assert.Empty(await SearchAsync("a%b"));
        Assert.Equal(["a_b"], Names(await SearchAsync("_")));
    }

    [Fact]
    public virtual async Task SearchProjectsAsync_percent_is_literal()
    {
        await UpsertAsync("npm", "full", "100% covered");
        await UpsertAsync("npm", "many", "1000 covered");
        await UpsertAsync("npm", "pct", "a%b");

        Assert.Equal(["full"], Names(await SearchAsync("100%")));
        Assert.Equal(["full", "pct"], Names(await SearchAsync("%")));
        Assert.Equal(["pct"], Names(await SearchAsync("a%b")));
        Assert.Empty(await SearchAsync("1%0"));
    }

    [Fact]
    public virtual async Task SearchProjectsAsync_backslash_and_quotes_are_literal()
    {
        await UpsertAsync("npm", "win", @"path C:\tools\bin");
        await UpsertAsync("npm", "quotes", "say \"hi\" to O'Brien");
        await UpsertAsync("npm", "other", "C:tools bin hi OBrien");

        Assert.Equal(["win"], Names(await SearchAsync(@"C:\tools")));
        Assert.Equal(["win"], Names(await SearchAsync(@"\")));
        Assert.Equal(["quotes"], Names(await SearchAsync("\"hi\"")));
        Assert.Equal(["quotes"], Names(await SearchAsync("O'Brien")));
        Assert.Equal(["quotes"], Names(await SearchAsync("'")));
        Assert.Empty(await SearchAsync(@"\%"));
        Assert.Empty(await SearchAsync("'; DROP TABLE projects; --"));
    }

    [Fact]
    public virtual async Task SearchProjectsAsync_text_is_trimmed()
    {
        await UpsertAsync("npm", "react", "UI");

        Assert.Equal(["react"], Names(await SearchAsync("  react \t")));
    }

    [Fact]
    public virtual async Task SearchProjectsAsync_results_are_in_key_order_with_dependency_counts()
    {
        await UpsertAsync("pypi", "lib-a", "x");
        await UpsertAsync("npm", "lib-b", "x");
        await UpsertAsync("cargo", "lib-c", "x");
        await UpsertAsync("npm", "lib-a", "x");
        await AddNpmEdgesAsync(("lib-a", "lib-b"));

        var results = await SearchAsync("lib");

        Assert.Equal(["cargo/lib-c", "npm/lib-a", "npm/lib-b", "pypi/lib-a"], results.Select(p => p.Key.ToString()).ToArray());
        Assert.Equal([0, 1, 0, 0], results.Select(p => p.DependencyCount).ToArray());
    }

    [Fact]
    public virtual async Task SearchProjectsAsync_limit_keeps_the_first_matches_in_key_order()
    {
        await UpsertNpmAsync("m5", "m3", "m1", "m4", "m2");

        Assert.Equal(["m1", "m2"], Names(await SearchAsync("m", 2)));
        Assert.Equal(["m1"], Names(await SearchAsync("m", 1)));
    }

    [Fact]
    public virtual async Task SearchProjectsAsync_limit_of_100_returns_at_most_100()
    {
        for (var i = 0; i < 105; i++)
        {
            await UpsertAsync("npm", $"pkg{i:D3}");
        }

        var results = await SearchAsync("pkg", 100);

        Assert.Equal(100, results.Count);
        Assert.Equal("pkg000", results[0].Name);
        Assert.Equal("pkg099", results[^1].Name);
    }

    [Fact]
    public virtual async Task SearchProjectsAsync_limit_outside_1_to_100_is_invalid()
    {
        await UpsertNpmAsync("react");

        await AssertInvalidAsync("limit", () => SearchAsync("react", 0));
        await AssertInvalidAsync("limit", () => SearchAsync("react", 101));
        await AssertInvalidAsync("limit", () => SearchAsync("react", -1));
        Assert.Single(await SearchAsync("react", 1));
        Assert.Single(await SearchAsync("react", 100));
    }

    [Fact]
    public virtual async Task SearchProjectsAsync_text_empty_whitespace_or_over_200_is_invalid()
    {
        await UpsertAsync("npm", "react", new string('x', 200));

        await AssertInvalidAsync("text", () => SearchAsync(""));
        await AssertInvalidAsync("text", () => SearchAsync("   "));
        await AssertInvalidAsync("text", () => SearchAsync(new string('x', 201)));
        await AssertInvalidAsync("text", () => SearchAsync(null!));
        await AssertInvalidAsync("text", () => SearchAsync("a\0b"));
        await AssertInvalidAsync("text", () => SearchAsync("a\uD800b"));
        Assert.Single(await SearchAsync(new string('x', 200)));
        Assert.Single(await SearchAsync("  " + new string('x', 200) + "  "));
    }

    [Fact]
    public virtual async Task SearchProjectsAsync_no_match_returns_empty()
    {
        await UpsertAsync("npm", "react", "UI");

        Assert.Empty(await SearchAsync("angular"));
    }
}

namespace Storage.Testing;

public abstract partial class GraphStoreContractTests
{
    [Fact]
    public virtual async Task CreateContributorAsync_assigns_a_generated_id_and_now_times()
    {
        var metadata = JsonMetadata.Parse("""{ "team": "core", "level": 3 }""");

        var contributor = await Store.CreateContributorAsync(new NewContributor("Ada Lovelace")
        {
            Email = "ada@example.com",
            GithubUsername = "ada",
            WalletAddress = "0xabc",
            Metadata = metadata,
        });

        var expected = new Contributor(ExpectedIds(1)[0], "Ada Lovelace", "ada@example.com", "ada", "0xabc", metadata, Now, Now);
        Assert.Equal(expected, contributor);
        Assert.Equal(expected, await Store.GetContributorAsync(contributor.Id));
        Assert.Equal("""{"level":3,"team":"core"}""", contributor.Metadata.Json);
    }

    [Fact]
    public virtual async Task CreateContributorAsync_trims_fields_and_empty_optional_fields_become_null()
    {
        var contributor = await Store.CreateContributorAsync(new NewContributor("  Ada  ")
        {
            Email = "   ",
            GithubUsername = "  ",
            WalletAddress = " 0xabc ",
        });

        Assert.Equal("Ada", contributor.Name);
        Assert.Null(contributor.Email);
        Assert.Null(contributor.GithubUsername);
        Assert.Equal("0xabc", contributor.WalletAddress);
        Assert.Equal(JsonMetadata.Empty, contributor.Metadata);
    }

    [Fact]
    public virtual async Task CreateContributorAsync_email_is_trimmed_and_lower_cased()
    {
        var contributor = await CreateContributorAsync(email: "  Ada.Lovelace@Example.COM ");

        Assert.Equal("ada.lovelace@example.com", contributor.Email);
        Assert.Equal(contributor, await Store.FindContributorByEmailAsync("ada.lovelace@example.com"));
    }

    [Fact]
    public virtual async Task CreateContributorAsync_malformed_email_is_invalid()
    {
        foreach (var email in new[] { "no-at-sign", "@example.com", "ada@", "ada@@example.com", "a@b@c", "ada lovelace@example.com", "ada@exa\tmple.com" })
        {
            await AssertInvalidAsync("email", () => CreateContributorAsync(email: email));
        }

        Assert.Empty(await Store.ListContributorsAsync());
    }

    [Fact]
    public virtual async Task CreateContributorAsync_email_taken_in_another_case_is_a_conflict()
    {
        var first = await CreateContributorAsync("Ada", "ada@example.com");

        await Assert.ThrowsAsync<StorageConflictException>(() => CreateContributorAsync("Impostor", " ADA@Example.com "));

        Assert.Equal([first], await Store.ListContributorsAsync());
        Assert.Equal(first, await Store.FindContributorByEmailAsync("ada@example.com"));
    }

    [Fact]
    public virtual async Task CreateContributorAsync_conflict_message_names_the_normalized_email()
    {
        await CreateContributorAsync("Ada", "ada@example.com");

        var error = await Assert.ThrowsAsync<StorageConflictException>(() => CreateContributorAsync("Other", "ADA@EXAMPLE.COM"));

        Assert.Equal(StorageErrors.EmailTaken("ada@example.com").Message, error.Message);
    }

    [Fact]
    public virtual async Task CreateContributorAsync_many_contributors_may_have_no_email()
    {
        var first = await CreateContributorAsync("Ada");
        var second = await CreateContributorAsync("Ada");

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(2, (await Store.ListContributorsAsync()).Count);
    }

    [Fact]
    public virtual async Task CreateContributorAsync_unicode_fields_round_trip()
    {
        var contributor = await Store.CreateContributorAsync(new NewContributor("Zoë 張偉 🚀")
        {
            Email = "Zoë@Exämple.org",
            GithubUsername = "zoë",
        });

        Assert.Equal("Zoë 張偉 🚀", contributor.Name);
        Assert.Equal("zoë@exämple.org", contributor.Email);
        Assert.Equal(contributor, await Store.GetContributorAsync(contributor.Id));
        Assert.Equal(contributor, await Store.FindContributorByEmailAsync("ZOË@EXÄMPLE.ORG"));
    }

    [Fact]
    public virtual async Task GetContributorAsync_missing_id_returns_null()
    {
        await CreateContributorAsync();

        Assert.Null(await Store.GetContributorAsync(Guid.Parse("00000000-0000-4000-8000-000000000099")));
        Assert.Null(await Store.GetContributorAsync(Guid.Empty));
    }

    [Fact]
    public virtual async Task FindContributorByEmailAsync_normalizes_the_email()
    {
        var ada = await CreateContributorAsync("Ada", "ada@example.com");
        await CreateContributorAsync("Bob", "bob@example.com");

        Assert.Equal(ada, await Store.FindContributorByEmailAsync("  ADA@example.COM\t"));
    }

    [Fact]
    public virtual async Task FindContributorByEmailAsync_unknown_email_returns_null()
    {
        await CreateContributorAsync("Ada", "ada@example.com");

        Assert.Null(await Store.FindContributorByEmailAsync("bob@example.com"));
        Assert.Null(await Store.FindContributorByEmailAsync("ada@example.co"));
    }

    [Fact]
    public virtual async Task FindContributorByEmailAsync_validates_the_email()
    {
        await AssertInvalidAsync("email", () => Store.FindContributorByEmailAsync(""));
        await AssertInvalidAsync("email", () => Store.FindContributorByEmailAsync("   "));
        await AssertInvalidAsync("email", () => Store.FindContributorByEmailAsync("not-an-email"));
        await AssertInvalidAsync("email", () => Store.FindContributorByEmailAsync(null!));
        await AssertInvalidAsync("email", () => Store.FindContributorByEmailAsync("a@" + new string('b', 253)));
        await AssertInvalidAsync("email", () => Store.FindContributorByEmailAsync("a\0@b.c"));
    }

    [Fact]
    public virtual async Task ListContributorsAsync_returns_newest_first()
    {
        var first = await CreateContributorAsync("first");
        Time.Advance(Step);
        var second = await CreateContributorAsync("second");
        Time.Advance(Step);
        var third = await CreateContributorAsync("third");

        Assert.Equal([third, second, first], await Store.ListContributorsAsync());
    }

    [Fact]
    public virtual async Task ListContributorsAsync_equal_created_times_order_by_id_descending()
    {
        var created = new List<Contributor>();
        for (var i = 0; i < 8; i++)
        {
            created.Add(await CreateContributorAsync($"c{i}"));
        }

        var expected = created.OrderByDescending(c => c.Id, StorageOrdering.Uuid).ToArray();
        Assert.NotEqual(created.AsEnumerable().Reverse().Select(c => c.Id), expected.Select(c => c.Id));
        Assert.Equal(expected, await Store.ListContributorsAsync());
    }

    [Fact]
    public virtual async Task ListContributorsAsync_limit_and_offset_page_through_newest_first()
    {
        var created = new List<Contributor>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await CreateContributorAsync($"c{i}"));
            Time.Advance(Step);
        }

        created.Reverse();
        Assert.Equal(created.Take(2), await Store.ListContributorsAsync(2, 0));
        Assert.Equal(created.Skip(2).Take(2), await Store.ListContributorsAsync(2, 2));
        Assert.Equal(created.Skip(4), await Store.ListContributorsAsync(2, 4));
        Assert.Empty(await Store.ListContributorsAsync(2, 5));
        Assert.Empty(await Store.ListContributorsAsync(100, 1000));
        Assert.Equal(created, await Store.ListContributorsAsync(100, 0));
    }

    [Fact]
    public virtual async Task ListContributorsAsync_limit_outside_1_to_100_or_negative_offset_is_invalid()
    {
        await CreateContributorAsync();

        await AssertInvalidAsync("limit", () => Store.ListContributorsAsync(0));
        await AssertInvalidAsync("limit", () => Store.ListContributorsAsync(101));
        await AssertInvalidAsync("offset", () => Store.ListContributorsAsync(10, -1));
        await AssertInvalidAsync("limit", () => Store.ListContributorsAsync(0, -1));
        Assert.Single(await Store.ListContributorsAsync(1));
        Assert.Single(await Store.ListContributorsAsync(100));
    }

    [Fact]
    public virtual async Task CreateContributorAsync_field_lengths_are_enforced()
    {
        var email254 = new string('a', 64) + "@" + new string('b', 189);
        var ok = await Store.CreateContributorAsync(new NewContributor(new string('n', 255))
        {
            Email = email254,
            GithubUsername = new string('g', 100),
            WalletAddress = new string('w', 128),
        });
        Assert.Equal(254, ok.Email!.Length);
        Assert.Equal(255, ok.Name.Length);

        await AssertInvalidAsync("name", () => CreateContributorAsync(new string('n', 256)));
        await AssertInvalidAsync("email", () => CreateContributorAsync(email: "x" + email254));
        await AssertInvalidAsync("github_username", () => Store.CreateContributorAsync(new NewContributor("a") { GithubUsername = new string('g', 101) }));
        await AssertInvalidAsync("wallet_address", () => Store.CreateContributorAsync(new NewContributor("a") { WalletAddress = new string('w', 129) }));
        Assert.Single(await Store.ListContributorsAsync());
    }

    [Fact]
    public virtual async Task CreateContributorAsync_empty_name_or_unstorable_text_is_invalid()
    {
        await AssertInvalidAsync("name", () => CreateContributorAsync(""));
        await AssertInvalidAsync("name", () => CreateContributorAsync(" \t\n "));
        await AssertInvalidAsync("name", () => CreateContributorAsync(null!));
        await AssertInvalidAsync("name", () => CreateContributorAsync("Ada\0"));
        await AssertInvalidAsync("name", () => CreateContributorAsync("Ada \uDC00"));
        await AssertInvalidAsync("email", () => CreateContributorAsync(email: "ada\0@example.com"));
        await AssertInvalidAsync("github_username", () => Store.CreateContributorAsync(new NewContributor("a") { GithubUsername = "x\uD83D" }));
        await AssertInvalidAsync("wallet_address", () => Store.CreateContributorAsync(new NewContributor("a") { WalletAddress = "0x\0" }));
        Assert.Empty(await Store.ListContributorsAsync());
    }
}

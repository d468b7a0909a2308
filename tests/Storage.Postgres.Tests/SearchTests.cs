using Dapper;
using Storage.InMemory;

namespace Storage.Postgres.Tests;

/// <summary>Search and ordering on PostgreSQL against the in-memory reference, on text chosen to trip folding and LIKE.</summary>
[RequiresPostgres]
public sealed class SearchTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    // Wildcards and the escape character, letters whose case mapping is special (dotted/dotless i, Kelvin sign,
    // sharp s, final sigma), a non-BMP letter with a case pair (Deseret), combining marks, and plain ASCII.
    private static readonly string[] Pieces =
    [
        "%", "_", "\\", "a", "A", "b", "İ", "ı", "i", "I", "K", "k", "ß", "ẞ", "Σ", "ς", "σ", "\U00010400", "\U00010428",
        "e\u0301", "é", "Ω", "ω", " ", "-", "z", "Z", "\u00A0",
    ];

    [Fact]
    public async Task Search_and_key_order_match_the_in_memory_store_on_tricky_text()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        var postgres = new PostgresGraphStore(dataSource, new ManualTimeProvider(), new SequentialIdGenerator());
        var memory = new InMemoryGraphStore(new ManualTimeProvider(), new SequentialIdGenerator());
        var random = new Random(20260101);
        for (var i = 0; i < 300; i++)
        {
            var upsert = new ProjectUpsert(i % 3 == 0 ? "npm" : "PyPI", $"{Word(random, 1, 4)}{i}")
            {
                Description = random.Next(4) == 0 ? null : Word(random, 0, 12),
            };
            Assert.Equal(await memory.UpsertProjectAsync(upsert), await postgres.UpsertProjectAsync(upsert));
        }

        for (var i = 0; i < 300; i++)
        {
            var search = new ProjectSearch(Word(random, 1, 3), Limit: 100);
            if (string.IsNullOrWhiteSpace(search.Text))
            {
                continue;
            }

            Assert.Equal(await memory.SearchProjectsAsync(search), await postgres.SearchProjectsAsync(search));
        }

        Assert.Equal(await memory.ListProjectsAsync(null, 1000), await postgres.ListProjectsAsync(null, 1000));
    }

    [Fact]
    public async Task Search_is_served_by_the_trigram_indexes()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        var store = new PostgresGraphStore(dataSource, new ManualTimeProvider(), new SequentialIdGenerator());
        await store.ImportProjectsAsync([.. Enumerable.Range(0, 2000).Select(i => new Project(
            "npm", $"package-{i}", null, $"Description number {i}", null, null, 0, ManualTimeProvider.DefaultStart, ManualTimeProvider.DefaultStart))]);
        await using var connection = await dataSource.OpenConnectionAsync();
        // At this size a scan in key order is cheaper; what matters is that the trigram indexes can serve the query.
        await connection.ExecuteAsync("ANALYZE projects; SET enable_seqscan = off; SET enable_indexscan = off");

        var plan = string.Join('\n', await connection.QueryAsync<string>(
            "EXPLAIN SELECT ecosystem, name FROM projects p WHERE p.name LIKE @Pattern OR p.description_folded LIKE @Pattern ORDER BY p.ecosystem, p.name LIMIT 20",
            new { Pattern = "%number 1999%" }));

        Assert.Contains("projects_name_trgm_idx", plan, StringComparison.Ordinal);
        Assert.Contains("projects_description_trgm_idx", plan, StringComparison.Ordinal);
        Assert.Single(await store.SearchProjectsAsync(new ProjectSearch("NUMBER 1999")));
    }

    [Fact]
    public async Task Search_strings_full_of_quotes_wildcards_escapes_and_unicode_match_only_as_literal_substrings()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        var postgres = new PostgresGraphStore(dataSource, new ManualTimeProvider(), new SequentialIdGenerator());
        var memory = new InMemoryGraphStore(new ManualTimeProvider(), new SequentialIdGenerator());
        string?[] descriptions =
        [
            "100% pure", "50%_off", "under_score", @"back\slash", @"C:\new\table", "it's O'Brien", "say \"hi\"", "''quoted''",
            "$1 and :name and @Pattern", "E'\\x41'", "naïve café", "ΣΊΣΥΦΟΣ", "日本語のテキスト", "emoji 🚀 here", "%%", "_", @"\", null,
            "'; DROP TABLE projects; --", "a%b_c\\d", "plain text",
        ];
        for (var i = 0; i < descriptions.Length; i++)
        {
            var upsert = new ProjectUpsert("npm", $"p{i:D2}{(i % 3 == 0 ? "%" : i % 3 == 1 ? "_" : "\\")}") { Description = descriptions[i] };
            Assert.Equal(await memory.UpsertProjectAsync(upsert), await postgres.UpsertProjectAsync(upsert));
        }

        string[] searches =
        [
            "%", "_", "\\", "%%", "__", @"\%", @"\_", @"\\", "'", "''", "\"", "\"hi\"", "O'Brien", "% p", "0%_", "%_o",
            "'; DROP TABLE projects; --", "$1", ":name", "@Pattern", "E'", "\\x41", "NAÏVE", "σίσυφος", "日本", "🚀", "a%b_c\\d", "%b_", "p0",
            "[a-z]", "*", ".*", "?", "^p", "te$",
        ];
        foreach (var text in searches)
        {
            var search = new ProjectSearch(text, Limit: 100);
            var folded = StorageText.Fold(text);
            var expected = (await memory.ListProjectsAsync(null, 1000))
                .Where(p => p.Name.Contains(folded, StringComparison.Ordinal) || StorageText.FoldedContains(p.Description, folded))
                .ToArray();

            Assert.Equal(expected, await memory.SearchProjectsAsync(search));
            Assert.Equal(expected, await postgres.SearchProjectsAsync(search));
        }

        Assert.Equal(descriptions.Length, await postgres.CountProjectsAsync());
        Assert.Equal(await memory.ListProjectsAsync(null, 1000), await postgres.ListProjectsAsync(null, 1000));
    }

    private static string Word(Random random, int min, int max)
        => string.Concat(Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => Pieces[random.Next(Pieces.Length)]));
}

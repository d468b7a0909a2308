using Npgsql;
using NpgsqlTypes;

namespace Storage.Postgres.Tests;

/// <summary>
/// <see cref="PostgresCopyWriter"/> stores what Npgsql's binary importer stores for every value the stores copy, edge
/// values included, refuses what it refuses, and a COPY it does not complete keeps nothing.
/// </summary>
[RequiresPostgres]
public sealed class CopyWriterTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly DateTimeOffset Epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string?[] Texts =
    [
        null, "", "plain", "é 😀 \"q\" \\ \t\r\n", "日本語のテキスト", "\U00010000\U0010FFFF\uFFFD\uE000\uD7FF",
        string.Concat(Enumerable.Repeat("é😀a", 50_000)), new string('x', 300_000),
    ];

    private static readonly DateTimeOffset?[] Times =
    [
        null, Epoch, Epoch.AddTicks(1), Epoch.AddTicks(-1), Epoch.AddTicks(-15), new(2026, 3, 1, 12, 30, 45, TimeSpan.Zero),
        new DateTimeOffset(2026, 3, 1, 12, 30, 45, TimeSpan.Zero).AddTicks(1_234_567), new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero),
        DateTimeOffset.MinValue, DateTimeOffset.MinValue.AddTicks(1), DateTimeOffset.MinValue.AddTicks(10), DateTimeOffset.MinValue.AddTicks(19),
        DateTimeOffset.MaxValue, DateTimeOffset.MaxValue.AddTicks(-1), DateTimeOffset.MaxValue.AddTicks(-9), DateTimeOffset.MaxValue.AddTicks(-10),
    ];

    private static readonly Guid[] Ids =
    [
        Guid.Empty, Guid.AllBitsSet, Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"), Guid.Parse("0195f0e1-7c3a-7b21-9f00-0123456789ab"),
    ];

    private static readonly decimal[] Numbers =
    [
        0m, 0.00m, 0.0000m, 0.00000m, new(0, 0, 0, isNegative: true, scale: 2), 1m, -1m, 12.30m, 12.3m, -12.30m, 0.01m, 0.0001m,
        0.00001m, -0.00001m, 9999.9999m, 10000m, 100000000m, 100000.000m, 123456789.123456789m, 0.57m, 999999999999.99m,
        decimal.MaxValue, decimal.MinValue, 7.9228162514264337593543950335m, 0.0000000000000000000000000001m,
        -0.0000000000000000000000000001m, 1.0000000000000000000000000000m, 12345678901234567890.12345678m,
    ];

    private static readonly int[] Integers = [0, 1, -1, 255, 65_536, int.MinValue, int.MaxValue];

    private static readonly string?[] Jsons = [null, "{}", """{"b":[1,2.50,{"c":null}],"a":"é 😀 \"q\"","n":true}"""];

    private static readonly AssetType?[] Labels = [null, .. Enum.GetValues<AssetType>()];

    [Fact]
    public async Task Edge_values_are_stored_as_the_binary_importer_stores_them()
    {
        var rows = Enumerable.Range(0, 64)
            .Select(i => new CopyRow(
                Integers[i % Integers.Length], Texts[i % Texts.Length], Times[i % Times.Length], Ids[i % Ids.Length],
                Numbers[i % Numbers.Length], Jsons[i % Jsons.Length], Labels[i % Labels.Length]))
            .ToList();
        await using var dataSource = await database.CreateSchemaAsync();
        await using var connection = await dataSource.OpenConnectionAsync();
        await CopyEncoding.CreateTablesAsync(connection);

        await CopyEncoding.ImportAsync(connection, rows);
        await CopyEncoding.WriteAsync(connection, rows);

        Assert.Equal(rows.Count, await CopyEncoding.CountAsync(connection, "by_writer"));
        Assert.Empty(await CopyEncoding.DifferencesAsync(connection));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-5)]
    public async Task A_time_with_an_offset_is_refused_as_the_binary_importer_refuses_it(int hours)
    {
        var time = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(hours));
        await using var dataSource = await database.CreateSchemaAsync();
        await using var connection = await dataSource.OpenConnectionAsync();
        await CopyEncoding.CreateTablesAsync(connection);
        var expected = await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await using var importer = await connection.BeginBinaryImportAsync("COPY by_importer (ts) FROM STDIN (FORMAT BINARY)");
            await importer.StartRowAsync();
            await importer.WriteAsync(time, NpgsqlDbType.TimestampTz);
        });

        // The importer's refusal closes its connection; the writer's leaves it open, its COPY cancelled.
        await using var other = await dataSource.OpenConnectionAsync();
        await using var writer = await PostgresCopyWriter.BeginAsync(other, "COPY by_writer (ts) FROM STDIN (FORMAT BINARY)", null, default);
        writer.StartRow();
        var actual = Assert.Throws<ArgumentException>(() => writer.Time(time));

        Assert.Equal(expected.Message, actual.Message);
        Assert.Equal(expected.ParamName, actual.ParamName);
    }

    [Fact]
    public async Task A_copy_disposed_before_it_completes_keeps_nothing_of_the_rows_already_sent()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        await using var connection = await dataSource.OpenConnectionAsync();
        await CopyEncoding.CreateTablesAsync(connection);

        // No transaction: only the COPY's own end could keep the rows. A quarter of a megabyte went to the server.
        await using (var writer = await PostgresCopyWriter.BeginAsync(connection, "COPY by_writer (ord, t) FROM STDIN (FORMAT BINARY)", null, default))
        {
            for (var i = 0; i < 1_000; i++)
            {
                writer.StartRow();
                writer.Integer(i);
                writer.Text(new string('r', 250));
                await writer.EndRowAsync(default);
            }
        }

        Assert.Equal(0, await CopyEncoding.CountAsync(connection, "by_writer"));
    }

    [Fact]
    public async Task An_import_copy_whose_row_fails_midway_keeps_nothing_and_reports_the_failure()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        await using var connection = await dataSource.OpenConnectionAsync();
        await CopyEncoding.CreateTablesAsync(connection);
        var rows = Enumerable.Range(0, 2_000).ToList();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresImport.CopyRowsAsync(
            connection,
            "COPY by_writer (ord, t) FROM STDIN (FORMAT BINARY)",
            rows,
            (row, i, _) =>
            {
                row.Integer(i);
                row.Text(i < 1_500 ? new string('r', 250) : throw new InvalidOperationException($"row {i} cannot be written"));
            },
            default));

        Assert.Equal("row 1500 cannot be written", error.Message);
        Assert.Equal(0, await CopyEncoding.CountAsync(connection, "by_writer"));
    }

    [Fact]
    public async Task A_failure_the_server_reports_when_the_copy_ends_is_a_postgres_exception_and_keeps_nothing()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        await using var connection = await dataSource.OpenConnectionAsync();
        await CopyEncoding.ExecuteAsync(connection, "CREATE TABLE keyed (id uuid PRIMARY KEY)");
        var id = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<PostgresException>(() => PostgresImport.CopyRowsAsync(
            connection, "COPY keyed (id) FROM STDIN (FORMAT BINARY)", new[] { id, Guid.NewGuid(), id }, (row, value, _) => row.Uuid(value), default));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.Equal(0, await CopyEncoding.CountAsync(connection, "keyed"));
    }
}

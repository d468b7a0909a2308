using FsCheck;
using FsCheck.Fluent;

namespace Storage.Postgres.Tests;

/// <summary>Random rows of every copied type are stored alike through <see cref="PostgresCopyWriter"/> and Npgsql's binary importer.</summary>
[RequiresPostgres]
public sealed class CopyWriterPropertyTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    // Text that PostgreSQL can hold: ASCII, two- and three-byte characters, surrogate pairs; no NUL, no lone surrogate.
    private static readonly Gen<string> TextGen = Gen.ListOf(Gen.Elements("a", "Z", " ", "\\", "\"", "é", "ß", "€", "日", "\uFFFD", "😀", "\U0010FFFF"))
        .Select(string.Concat);

    // Any UTC instant DateTimeOffset can hold, to the tick, with the two ends (infinities) among them.
    private static readonly Gen<DateTimeOffset> TimeGen = Gen.Frequency(
        (20, from high in Gen.Choose(int.MinValue, int.MaxValue)
             from low in Gen.Choose(int.MinValue, int.MaxValue)
             select new DateTimeOffset((long)((((ulong)(uint)high << 32) | (uint)low) % (ulong)(DateTimeOffset.MaxValue.Ticks + 1)), TimeSpan.Zero)),
        (1, Gen.Elements(DateTimeOffset.MinValue, DateTimeOffset.MaxValue)));

    // Any decimal: 96 random bits (often fewer, so that small values and trailing zeros come up), a sign and a scale.
    private static readonly Gen<decimal> NumberGen =
        from low in Gen.Choose(int.MinValue, int.MaxValue)
        from mid in Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Choose(int.MinValue, int.MaxValue)))
        from high in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(int.MinValue, int.MaxValue)))
        from negative in Gen.Elements(false, true)
        from scale in Gen.Choose(0, 28)
        select new decimal(low, mid, high, negative, (byte)scale);

    private static readonly Gen<CopyRow> RowGen =
        from ord in Gen.Choose(int.MinValue, int.MaxValue)
        from text in Gen.Frequency((1, Gen.Constant<string?>(null)), (6, TextGen.Select(t => (string?)t)))
        from time in Gen.Frequency((1, Gen.Constant<DateTimeOffset?>(null)), (6, TimeGen.Select(t => (DateTimeOffset?)t)))
        from id in Gen.Choose(int.MinValue, int.MaxValue).ArrayOf(4).Select(Id)
        from number in NumberGen
        from json in Gen.Elements<string?>(null, "{}", """{"a":[1,2.50]}""")
        from label in Gen.Elements<AssetType?>([null, .. Enum.GetValues<AssetType>()])
        select new CopyRow(ord, text, time, id, number, json, label);

    [Fact]
    public async Task Random_rows_are_stored_as_the_binary_importer_stores_them()
    {
        await using var dataSource = await database.CreateSchemaAsync();
        await using var connection = await dataSource.OpenConnectionAsync();
        await CopyEncoding.CreateTablesAsync(connection);

        async Task RunAsync(CopyRow[] rows)
        {
            await CopyEncoding.ExecuteAsync(connection, "TRUNCATE by_importer, by_writer");
            await CopyEncoding.ImportAsync(connection, rows);
            await CopyEncoding.WriteAsync(connection, rows);
            Assert.Equal(rows.Length, await CopyEncoding.CountAsync(connection, "by_writer"));
            Assert.Empty(await CopyEncoding.DifferencesAsync(connection));
        }

        // Off the test's synchronization context: FsCheck waits for each asynchronous run.
        await Task.Run(() => Prop.ForAll(Arb.From(Gen.ArrayOf(RowGen)), RunAsync).QuickCheckThrowOnFailure());
    }

    private static Guid Id(int[] parts)
    {
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < 4; i++)
        {
            BitConverter.TryWriteBytes(bytes[(4 * i)..], parts[i]);
        }

        return new Guid(bytes);
    }
}

using Npgsql;
using NpgsqlTypes;

namespace Storage.Postgres.Tests;

/// <summary>One row of every type the stores copy: text, timestamptz, uuid, numeric, integer, json and an enum.</summary>
public sealed record CopyRow(int Ord, string? Text, DateTimeOffset? Time, Guid Id, decimal Number, string? Json, AssetType? Label);

/// <summary>
/// The same rows copied into two tables, once through Npgsql's <see cref="NpgsqlBinaryImporter"/> (as the stores wrote
/// them before <see cref="PostgresCopyWriter"/>) and once through <see cref="PostgresCopyWriter"/>, then compared in SQL:
/// numbers with their scale, json as its text.
/// </summary>
internal static class CopyEncoding
{
    private const string Columns = "ord, t, ts, id, n, j, e";

    // Every column as a value with an equality that tells apart what was stored: numeric as text keeps its scale.
    private const string Comparable = "ord, t, ts, id, n::text AS n, j::text AS j, e";

    /// <summary>Creates the tables <paramref name="importer"/> and <paramref name="writer"/> (dropped first when present).</summary>
    public static async Task CreateTablesAsync(NpgsqlConnection connection, string importer = "by_importer", string writer = "by_writer")
    {
        foreach (var table in new[] { importer, writer })
        {
            await ExecuteAsync(connection, $"DROP TABLE IF EXISTS {table}; CREATE TABLE {table} (ord integer, t text, ts timestamptz, id uuid, n numeric, j json, e asset_type)");
        }
    }

    /// <summary>Copies <paramref name="rows"/> into <paramref name="table"/> through Npgsql's binary importer, as the stores used to.</summary>
    public static async Task ImportAsync(NpgsqlConnection connection, IEnumerable<CopyRow> rows, string table = "by_importer")
    {
        await using var importer = await connection.BeginBinaryImportAsync($"COPY {table} ({Columns}) FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            await importer.StartRowAsync();
            await importer.WriteAsync(row.Ord, NpgsqlDbType.Integer);
            await TextAsync(importer, row.Text);
            await (row.Time is { } time ? importer.WriteAsync(time, NpgsqlDbType.TimestampTz) : importer.WriteNullAsync());
            await importer.WriteAsync(row.Id, NpgsqlDbType.Uuid);
            await importer.WriteAsync(row.Number, NpgsqlDbType.Numeric);
            await TextAsync(importer, row.Json);
            await TextAsync(importer, row.Label is { } label ? StorageNames.Of(label) : null);
        }

        await importer.CompleteAsync();
    }

    /// <summary>Copies <paramref name="rows"/> into <paramref name="table"/> through <see cref="PostgresCopyWriter"/>.</summary>
    public static async Task WriteAsync(NpgsqlConnection connection, IEnumerable<CopyRow> rows, string table = "by_writer")
    {
        await using var writer = await PostgresCopyWriter.BeginAsync(connection, $"COPY {table} ({Columns}) FROM STDIN (FORMAT BINARY)", null, default);
        foreach (var row in rows)
        {
            writer.StartRow();
            Write(writer, row);
            await writer.EndRowAsync(default);
        }

        await writer.CompleteAsync(default);
    }

    /// <summary>The columns of one row, in the tables' order.</summary>
    public static void Write(PostgresCopyWriter writer, CopyRow row)
    {
        writer.Integer(row.Ord);
        writer.Text(row.Text);
        writer.Time(row.Time);
        writer.Uuid(row.Id);
        writer.Numeric(row.Number);
        writer.Text(row.Json);
        writer.Text(row.Label is { } label ? StorageNames.Of(label) : null);
    }

    /// <summary>The rows one table holds and the other does not (duplicates counted), each with the table it is in.</summary>
    public static async Task<List<string>> DifferencesAsync(NpgsqlConnection connection, string importer = "by_importer", string writer = "by_writer")
    {
        var sql = $"""
            SELECT 'importer only: ' || d::text FROM (SELECT {Comparable} FROM {importer} EXCEPT ALL SELECT {Comparable} FROM {writer}) d
            UNION ALL
            SELECT 'writer only: ' || d::text FROM (SELECT {Comparable} FROM {writer} EXCEPT ALL SELECT {Comparable} FROM {importer}) d
            """;
        var differences = new List<string>();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            differences.Add(reader.GetString(0));
        }

        return differences;
    }

    /// <summary>How many rows <paramref name="table"/> holds.</summary>
    public static async Task<long> CountAsync(NpgsqlConnection connection, string table)
    {
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static Task TextAsync(NpgsqlBinaryImporter importer, string? value)
        => value is null ? importer.WriteNullAsync() : importer.WriteAsync(value, NpgsqlDbType.Text);
}

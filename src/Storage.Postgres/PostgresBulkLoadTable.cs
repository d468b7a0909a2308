using System.Data.Common;

namespace Storage.Postgres;

/// <summary>What a table's bulk load (<see cref="PostgresTableLoad{T}"/>) needs to know of it.</summary>
/// <param name="Name">The table, as named in the store's schema.</param>
/// <param name="CopySql"><c>COPY … FROM STDIN (FORMAT BINARY)</c> of its columns.</param>
/// <param name="Normalize">The import's validation of one record (throws <see cref="StorageValidationException"/>).</param>
/// <param name="WriteRow">Writes one record's columns, in the order of <paramref name="CopySql"/>.</param>
/// <param name="FirstSql">Selects the first <c>@Limit</c> rows in key order, as <paramref name="Read"/> reads them.</param>
/// <param name="Read">One row of <paramref name="FirstSql"/> as a record.</param>
/// <param name="RejectSql">
/// Deletes the rows whose references or unique values do not hold, returning them (mapped by
/// <paramref name="ReadRejection"/>); null for a table without foreign keys or unique constraints.
/// </param>
/// <param name="ReadRejection">A deleted row and the import's message for it.</param>
/// <param name="BeforeCopySql">A statement run before the rows, as the import runs it (locking counters); none when null.</param>
internal sealed record PostgresBulkLoadTable<T>(
    string Name,
    string CopySql,
    Func<T, T> Normalize,
    Action<PostgresCopyWriter, T> WriteRow,
    string FirstSql,
    Func<DbDataReader, T> Read,
    string? RejectSql = null,
    Func<DbDataReader, PostgresBulkLoadRejection<T>>? ReadRejection = null,
    string? BeforeCopySql = null);

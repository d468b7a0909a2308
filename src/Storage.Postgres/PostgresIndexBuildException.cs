namespace Storage.Postgres;

/// <summary>
/// An index a bulk load listed to build after its commit (<see cref="PostgresIndexBuilds"/>) was not built: the rows are
/// committed, and the index stays listed in <c>pending_index_builds</c> for the next
/// <see cref="PostgresIndexBuilds.RunPendingAsync"/>.
/// </summary>
public sealed class PostgresIndexBuildException : Exception
{
    /// <summary>Creates the failure of <paramref name="indexName"/> on <paramref name="tableName"/>.</summary>
    public PostgresIndexBuildException(string indexName, string tableName, string reason, Exception? innerException = null)
        : base($"building the index {indexName} on {tableName} failed ({reason}); it stays listed in pending_index_builds", innerException)
    {
        IndexName = indexName;
        TableName = tableName;
    }

    /// <summary>The index not built.</summary>
    public string IndexName { get; }

    /// <summary>Its table.</summary>
    public string TableName { get; }
}

namespace ConsistencyChecker.Stores;

/// <summary>A store argument (<c>--source</c>, <c>--target</c>): a PostgreSQL connection string when it holds '=', else a snapshot file path.</summary>
/// <param name="Option">The option it came from, for messages: <c>--source</c>.</param>
/// <param name="Value">What was given.</param>
/// <param name="Schema">The schema for a PostgreSQL store.</param>
internal sealed record StoreArgument(string Option, string Value, string Schema)
{
    /// <summary>True for a PostgreSQL connection string.</summary>
    public bool IsPostgres => Value.Contains('=', StringComparison.Ordinal);

    /// <summary>How the store is named in messages: the file path, or host, database and schema (never the password).</summary>
    public string Describe() => IsPostgres ? PostgresStore.Describe(Value, Schema) : $"snapshot {Value}";
}

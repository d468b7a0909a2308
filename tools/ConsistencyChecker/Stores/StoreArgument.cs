namespace ConsistencyChecker.Stores;

/// <summary>
/// A store argument (<c>--source</c>, <c>--target</c>): a snapshot file when it names an existing file, else a
/// PostgreSQL connection string when it holds '=', else a snapshot file path (which will not open).
/// </summary>
/// <param name="Option">The option it came from, for messages: <c>--source</c>.</param>
/// <param name="Value">What was given.</param>
/// <param name="Schema">The schema for a PostgreSQL store.</param>
internal sealed record StoreArgument(string Option, string Value, string Schema)
{
    /// <summary>True for a PostgreSQL connection string; a path holding '=' (<c>part/date=2026-11-22/snap.jsonl</c>) that names an existing file is a file.</summary>
    public bool IsPostgres { get; } = Value.Contains('=', StringComparison.Ordinal) && !File.Exists(Value);

    /// <summary>The side it is, for messages: <c>source</c> or <c>target</c>.</summary>
    public string Role => Option.TrimStart('-');

    /// <summary>How the store is named in messages: the file path, or host, database and schema (never the password).</summary>
    public string Describe() => IsPostgres ? PostgresStore.Describe(Value, Schema) : $"snapshot {Value}";

    /// <summary>True for a PostgreSQL URL (<c>postgresql://</c>, <c>postgres://</c>), which the tool does not take.</summary>
    public static bool IsUrl(string value)
        => value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);
}

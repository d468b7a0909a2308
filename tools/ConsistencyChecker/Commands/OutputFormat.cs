namespace ConsistencyChecker.Commands;

/// <summary>How a command writes its result to standard output.</summary>
internal enum OutputFormat
{
    /// <summary>Aligned text for people.</summary>
    Table,

    /// <summary>One JSON document in the documented schema (docs/checker.md).</summary>
    Json,
}

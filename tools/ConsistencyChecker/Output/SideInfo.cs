namespace ConsistencyChecker.Output;

/// <summary>One side as the report shows it.</summary>
/// <param name="Type"><c>snapshot</c> or <c>postgres</c>.</param>
/// <param name="Description">The file, or host, database and schema (never a password).</param>
/// <param name="TakenAt">A snapshot's taken time; null for PostgreSQL.</param>
internal sealed record SideInfo(string Type, string Description, DateTimeOffset? TakenAt);

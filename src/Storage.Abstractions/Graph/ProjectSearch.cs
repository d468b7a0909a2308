namespace Storage.Abstractions;

/// <summary>
/// A case-insensitive substring search over project name and description. Every character of
/// <paramref name="Text"/> is literal: <c>%</c>, <c>_</c> and <c>\</c> are never wildcards.
/// Results are ordered by key (ecosystem, then name) in code-point order.
/// </summary>
/// <param name="Text">1..200 characters after trimming.</param>
/// <param name="Limit">1..100; <value>20</value> by default.</param>
public sealed record ProjectSearch(string Text, int Limit = 20);

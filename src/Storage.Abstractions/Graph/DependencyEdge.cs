namespace Storage.Abstractions;

/// <summary>A dependency edge: <paramref name="From"/> depends on <paramref name="To"/>.</summary>
public readonly record struct DependencyEdge(ProjectKey From, ProjectKey To);

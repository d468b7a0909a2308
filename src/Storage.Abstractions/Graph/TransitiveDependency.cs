namespace Storage.Abstractions;

/// <summary>A project reached from the start project, at its shortest distance (1 = direct dependency).</summary>
public readonly record struct TransitiveDependency(ProjectKey Project, int Depth);

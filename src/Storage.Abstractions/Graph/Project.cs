using System.Text.Json.Serialization;

namespace Storage.Abstractions;

/// <summary>A stored project. <see cref="DependencyCount"/> is derived: the number of its outgoing dependency edges.</summary>
public sealed record Project(
    string Ecosystem,
    string Name,
    string? Version,
    string? Description,
    string? HomepageUrl,
    string? RepositoryUrl,
    int DependencyCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The project's key.</summary>
    [JsonIgnore]
    public ProjectKey Key => new(Ecosystem, Name);
}

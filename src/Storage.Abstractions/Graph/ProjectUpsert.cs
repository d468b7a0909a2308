namespace Storage.Abstractions;

/// <summary>What a caller sends to create or replace a project. Optional fields left null are cleared on update.</summary>
/// <param name="Ecosystem">Key part; trimmed, 1..50 characters, stored lower-case.</param>
/// <param name="Name">Key part; trimmed, 1..255 characters, stored lower-case.</param>
public sealed record ProjectUpsert(string Ecosystem, string Name)
{
    /// <summary>Version string, trimmed, at most 100 characters.</summary>
    public string? Version { get; init; }

    /// <summary>Free text, at most 10,000 characters, kept as given.</summary>
    public string? Description { get; init; }

    /// <summary>Absolute http(s) URL, at most 2,048 characters.</summary>
    public string? HomepageUrl { get; init; }

    /// <summary>Absolute http(s) URL, at most 2,048 characters.</summary>
    public string? RepositoryUrl { get; init; }
}

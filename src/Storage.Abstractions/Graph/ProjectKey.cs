namespace Storage.Abstractions;

/// <summary>
/// The key of a project: its ecosystem and name. Stores normalize both parts (trimmed, lower-case by
/// <see cref="StorageText.Fold"/>) before use, so <c>" NPM"/"React"</c> and <c>"npm"/"react"</c> name the same project.
/// </summary>
/// <param name="Ecosystem">The package ecosystem, for example <c>npm</c> or <c>pypi</c>.</param>
/// <param name="Name">The package name within the ecosystem.</param>
public readonly record struct ProjectKey(string Ecosystem, string Name)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Ecosystem}/{Name}";
}

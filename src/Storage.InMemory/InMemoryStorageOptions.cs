namespace Storage.InMemory;

/// <summary>Options of the in-memory backend, validated when the host starts.</summary>
public sealed class InMemoryStorageOptions
{
    /// <summary>A snapshot file to load when the host starts; <value>null</value> (start empty) by default.</summary>
    public string? SnapshotPath { get; set; }

    /// <summary>
    /// When true, a missing <see cref="SnapshotPath"/> file is not an error and the stores start empty;
    /// <value>false</value> by default (a configured snapshot that is missing fails start-up).
    /// </summary>
    public bool AllowMissingSnapshot { get; set; }
}

namespace Storage.Abstractions;

/// <summary>The kind of an asset.</summary>
public enum AssetType
{
    /// <summary>Source code.</summary>
    Code,

    /// <summary>A trained model.</summary>
    Model,

    /// <summary>Written or media content.</summary>
    Content,

    /// <summary>A data set.</summary>
    Data,
}

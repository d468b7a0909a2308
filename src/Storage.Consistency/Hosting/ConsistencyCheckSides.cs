namespace Storage.Consistency;

/// <summary>The two live store pairs <see cref="ConsistencyCheckService"/> compares: the source (the backend in charge) and the target.</summary>
/// <param name="Source">The stores holding the data as it should be.</param>
/// <param name="Target">The stores checked against them.</param>
public sealed record ConsistencyCheckSides(LiveStoreSource Source, LiveStoreSource Target);

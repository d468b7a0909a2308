namespace Storage.Consistency;

/// <summary>What the recheck did: it read the differing keys again on both sides after <see cref="Delay"/>.</summary>
/// <param name="Delay">How long it waited after the first pass.</param>
/// <param name="Rechecked">Keys read again.</param>
/// <param name="Resolved">Keys equal on both sides when read again (writes in flight had landed).</param>
/// <param name="Changed">Keys a live side changed between the two reads, or stamped after the snapshot: not differences.</param>
/// <param name="StillDifferent">Keys that still differ, with the same values as in the first pass.</param>
/// <param name="NotRechecked">Differences past <see cref="ConsistencyCheckOptions.RecheckLimit"/>, left as found.</param>
public sealed record RecheckReport(TimeSpan Delay, long Rechecked, long Resolved, long Changed, long StillDifferent, long NotRechecked);

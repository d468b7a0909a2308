namespace Storage.Consistency;

/// <summary>The outcome of <see cref="ConsistencyEngine.RepairAsync"/>.</summary>
/// <param name="Check">What the check found before the repair (the repair fixed it as <paramref name="Repair"/> says).</param>
/// <param name="Repair">What the repair wrote and deleted, or would in a dry run.</param>
public sealed record RepairResult(ConsistencyReport Check, RepairReport Repair);

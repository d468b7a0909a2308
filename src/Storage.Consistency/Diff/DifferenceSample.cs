namespace Storage.Consistency;

/// <summary>A different record in a report's sample: its key and the stored names of its differing fields.</summary>
public sealed record DifferenceSample(RecordKey Key, IReadOnlyList<string> Fields);

using FsCheck;
using FsCheck.Fluent;

namespace Storage.Consistency.Tests;

/// <summary>A kind's samples keep the first keys in key order, whatever order the differences are counted in.</summary>
public sealed class KindTallyTests
{
    [Fact]
    public void Samples_hold_the_first_keys_in_key_order_whatever_the_order_counted()
        => Prop.ForAll(
            Gen.Choose(0, 60).ListOf().ToArbitrary(),
            Gen.Choose(1, 8).ToArbitrary(),
            (numbers, size) =>
            {
                var spec = KindSpec.Of(RecordKind.AgentTask);
                var tally = new KindTally(spec, size);
                var keys = numbers.Distinct().Select(n => RecordKey.AgentTask($"t{n:D3}")).ToList();
                foreach (var key in keys)
                {
                    tally.Count(new Drift(key, DriftCategory.Different, ["output"], null, null));
                    tally.CountChanged(key);
                }

                var expected = keys.Order(Comparer<RecordKey>.Create(spec.CompareKeys)).Take(size).ToList();
                var report = tally.ToReport();
                return report.DifferentSample.Select(s => s.Key).SequenceEqual(expected) && report.ChangedSample.SequenceEqual(expected);
            }).QuickCheckThrowOnFailure();
}

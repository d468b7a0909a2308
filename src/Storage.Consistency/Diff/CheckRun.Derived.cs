namespace Storage.Consistency;

internal sealed partial class CheckRun
{
    private readonly Dictionary<RecordKey, HeldDerived> _held = [];
    private readonly List<HeldDerived> _heldInOrder = [];

    /// <summary>
    /// Holds a difference in an asset's <c>total_cost</c> alone until the contributions have been compared: when every
    /// contribution of that asset that differs was changed since the snapshot, and their amounts make up the gap
    /// between the totals, the total moved with them and is changed too, not drift. (A project's <c>dependency_count</c> is not held: edges carry no time, so an edge that differs is
    /// always a difference, and so is the count it moves.)
    /// </summary>
    private bool TryHold(KindSpec spec, KindTally tally, Drift drift)
    {
        if (spec.Kind != RecordKind.Asset || !RecordFields.OnlyDerived(spec.Kind, drift.Fields) || _held.Count >= _options.RecheckLimit)
        {
            return false;
        }

        var held = new HeldDerived(tally, drift);
        _held[drift.Key] = held;
        _heldInOrder.Add(held);
        return true;
    }

    /// <summary>Notes a contribution that differs, changed or not, against the assets it belongs to on either side.</summary>
    private void NoteInput(KindSpec spec, object? source, object? target, bool changed)
    {
        if (spec.Kind != RecordKind.Contribution || _held.Count == 0)
        {
            return;
        }

        Note(source as Contribution, -1);
        Note(target as Contribution, +1);

        void Note(Contribution? contribution, int sign)
        {
            if (contribution is not null && _held.TryGetValue(RecordKey.Asset(contribution.AssetId), out var held))
            {
                held.InputChanged |= changed;
                held.InputDiffers |= !changed;
                held.ChangedAmount += sign * contribution.CostAmount;
            }
        }
    }

    /// <summary>
    /// After the contributions, once the sink has had them: a held total is changed when contributions changed since the
    /// snapshot account for the whole gap between the two totals and none of its contributions drifted; a difference
    /// otherwise (some contribution drifted, or the changes leave part of the gap, or none differs at all and the total
    /// itself is wrong). The differences go to the sink in batches of their own (see <see cref="IDriftSink"/>).
    /// </summary>
    private async ValueTask ReleaseHeldAsync(RecordKind compared, CancellationToken cancellationToken)
    {
        if (compared != RecordKind.Contribution || _heldInOrder.Count == 0)
        {
            return;
        }

        foreach (var held in _heldInOrder)
        {
            if (held.InputChanged && !held.InputDiffers && held.ExplainedByChanges)
            {
                held.Tally.CountChanged(held.Drift.Key);
            }
            else
            {
                await OnDriftAsync(held.Tally, held.Drift);
            }
        }

        _held.Clear();
        _heldInOrder.Clear();
        if (!Rechecking)
        {
            await FlushAsync(cancellationToken);
        }
    }

    private sealed class HeldDerived(KindTally tally, Drift drift)
    {
        public KindTally Tally { get; } = tally;

        public Drift Drift { get; } = drift;

        public bool InputChanged { get; set; }

        public bool InputDiffers { get; set; }

        /// <summary>The target's amounts less the source's, over the changed contributions of this asset.</summary>
        public decimal ChangedAmount { get; set; }

        /// <summary>
        /// True when the changed contributions account for the whole gap between the two totals. A gap of nothing (the
        /// totals differ in scale alone) is never theirs to explain.
        /// </summary>
        public bool ExplainedByChanges
            => Drift is { Source: Asset source, Target: Asset target }
                && target.TotalCost != source.TotalCost
                && target.TotalCost - source.TotalCost == ChangedAmount;
    }
}

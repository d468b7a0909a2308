namespace Storage.Consistency;

internal sealed partial class CheckRun
{
    private readonly Dictionary<RecordKey, HeldDerived> _held = [];
    private readonly List<HeldDerived> _heldInOrder = [];

    /// <summary>
    /// Holds a difference in a derived field alone (a project's <c>dependency_count</c>, an asset's <c>total_cost</c>)
    /// until the records it derives from (edges, contributions) have been compared, to tell why it differs:
    /// <list type="bullet">
    /// <item>an asset whose changed contributions (since the snapshot) make up the whole gap between the totals, the
    /// drifted ones moving no amount, moved with them: changed too, not drift (edges carry no time, so a count never
    /// is);</item>
    /// <item>one that differs in scale alone, or whose inputs, none of them changed, add up to another gap than its own:
    /// a difference no write of records fixes, since one side's own value disagrees with its records
    /// (<see cref="Drift.UnexplainedDerived"/>);</item>
    /// <item>any other: a difference, which the repair of its inputs fixes, or which a write landing between the reads
    /// of the two kinds made (a recheck tells).</item>
    /// </list>
    /// At most <see cref="ConsistencyCheckOptions.RecheckLimit"/> are held, with their records; past it they are
    /// differences straight away, taken to be explained.
    /// </summary>
    private bool TryHold(KindSpec spec, KindTally tally, Drift drift)
    {
        if (!RecordFields.OnlyDerived(spec.Kind, drift.Fields) || _held.Count >= _options.RecheckLimit)
        {
            return false;
        }

        var held = new HeldDerived(tally, drift);
        _held[drift.Key] = held;
        _heldInOrder.Add(held);
        return true;
    }

    /// <summary>Notes an edge or a contribution that differs, changed or not, against the records it is an input of.</summary>
    private void NoteInput(KindSpec spec, object? source, object? target, bool changed)
    {
        if (_held.Count == 0)
        {
            return;
        }

        Note(source, -1);
        Note(target, +1);

        void Note(object? record, int sign)
        {
            // What the input adds to its parent's derived value: one edge to a count, an amount to a total.
            var (parent, amount) = record switch
            {
                DependencyEdge edge when spec.Kind == RecordKind.Dependency => (RecordKey.Project(edge.From), 1m),
                Contribution contribution when spec.Kind == RecordKind.Contribution => (RecordKey.Asset(contribution.AssetId), contribution.CostAmount),
                _ => (default(RecordKey?), 0m),
            };
            if (parent is { } key && _held.TryGetValue(key, out var held))
            {
                if (changed)
                {
                    held.InputChanged = true;
                    held.ChangedAmount += sign * amount;
                }
                else
                {
                    held.DriftAmount += sign * amount;
                }
            }
        }
    }

    /// <summary>
    /// After the inputs of the held kind (edges for projects, contributions for assets), once the sink has had them: each
    /// held record is counted changed or handed over as a difference (in batches of its own; see <see cref="IDriftSink"/>).
    /// </summary>
    private async ValueTask ReleaseHeldAsync(RecordKind compared, CancellationToken cancellationToken)
    {
        if (compared is not (RecordKind.Dependency or RecordKind.Contribution) || _heldInOrder.Count == 0)
        {
            return;
        }

        foreach (var held in _heldInOrder)
        {
            var gap = held.Gap;
            if (held.InputChanged && gap != 0 && held.DriftAmount == 0 && gap == held.ChangedAmount)
            {
                held.Tally.CountChanged(held.Drift.Key);
            }
            else
            {
                // Unexplained: a gap in scale alone, or (no input changed since the reference time, so nothing was in
                // flight between the reads) drifted inputs that do not add up to the gap.
                var unexplained = gap == 0 || (!held.InputChanged && gap != held.DriftAmount);
                await OnDriftAsync(held.Tally, unexplained ? held.Drift with { UnexplainedDerived = true } : held.Drift);
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

        /// <summary>What the changed inputs add to the target's value less what they add to the source's.</summary>
        public decimal ChangedAmount { get; set; }

        /// <summary>What the drifted inputs (differences, not changed) add to the target's value less the source's.</summary>
        public decimal DriftAmount { get; set; }

        /// <summary>The target's derived value less the source's.</summary>
        public decimal Gap => Drift switch
        {
            { Source: Asset source, Target: Asset target } => target.TotalCost - source.TotalCost,
            { Source: Project source, Target: Project target } => target.DependencyCount - source.DependencyCount,
            _ => 0m,
        };
    }
}

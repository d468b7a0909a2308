namespace Storage.Consistency;

/// <summary>
/// The counts and samples of one kind while a check runs (one thread at a time). Each sample keeps the first keys in key
/// order, whatever order they are counted in (a held asset is counted after the rest of its kind, a recheck recounts).
/// </summary>
internal sealed class KindTally(KindSpec spec, int sampleSize)
{
    private readonly Dictionary<string, long> _fields = new(StringComparer.Ordinal);
    private readonly List<RecordKey> _missing = [];
    private readonly List<RecordKey> _extra = [];
    private readonly List<DifferenceSample> _different = [];
    private readonly List<RecordKey> _changed = [];
    private (List<RecordKey> Missing, List<RecordKey> Extra, List<DifferenceSample> Different)? _stash;

    public long SourceRecords { get; set; }

    public long TargetRecords { get; set; }

    public long Equal { get; set; }

    public long Missing { get; private set; }

    public long Extra { get; private set; }

    public long Different { get; private set; }

    public long Changed { get; private set; }

    public long NotRechecked { get; set; }

    public void Count(Drift drift)
    {
        switch (drift.Category)
        {
            case DriftCategory.MissingInTarget:
                Missing++;
                Sample(_missing, drift.Key, k => k);
                break;
            case DriftCategory.ExtraInTarget:
                Extra++;
                Sample(_extra, drift.Key, k => k);
                break;
            default:
                Different++;
                foreach (var field in drift.Fields)
                {
                    _fields[field] = _fields.GetValueOrDefault(field) + 1;
                }

                Sample(_different, new DifferenceSample(drift.Key, drift.Fields), d => d.Key);
                break;
        }
    }

    public void CountChanged(RecordKey key)
    {
        Changed++;
        Sample(_changed, key, k => k);
    }

    /// <summary>Takes a difference found in the first pass back out of the counts (the recheck decides again).</summary>
    public void Uncount(Drift drift)
    {
        switch (drift.Category)
        {
            case DriftCategory.MissingInTarget:
                Missing--;
                break;
            case DriftCategory.ExtraInTarget:
                Extra--;
                break;
            default:
                Different--;
                foreach (var field in drift.Fields)
                {
                    if ((_fields[field] -= 1) == 0)
                    {
                        _fields.Remove(field);
                    }
                }

                break;
        }
    }

    /// <summary>Before the recheck: drops the rechecked keys from the samples, keeping the others (found later) aside.</summary>
    public void BeginRecheck(IReadOnlySet<RecordKey> rechecked)
    {
        _stash = (
            _missing.Where(k => !rechecked.Contains(k)).ToList(),
            _extra.Where(k => !rechecked.Contains(k)).ToList(),
            _different.Where(s => !rechecked.Contains(s.Key)).ToList());
        _missing.Clear();
        _extra.Clear();
        _different.Clear();
    }

    /// <summary>After the recheck: the kept samples go back among the rechecked ones that still differ, in key order.</summary>
    public void EndRecheck()
    {
        if (_stash is not { } stash)
        {
            return;
        }

        stash.Missing.ForEach(k => Sample(_missing, k, k => k));
        stash.Extra.ForEach(k => Sample(_extra, k, k => k));
        stash.Different.ForEach(s => Sample(_different, s, d => d.Key));
        _stash = null;
    }

    public KindReport ToReport() => new()
    {
        Kind = spec.Kind,
        SourceRecords = SourceRecords,
        TargetRecords = TargetRecords,
        Compared = Equal + Missing + Extra + Different + Changed,
        Equal = Equal,
        MissingInTarget = Missing,
        ExtraInTarget = Extra,
        Different = Different,
        ChangedSinceSnapshot = Changed,
        NotRechecked = NotRechecked,
        DifferentFields = spec.FieldNames.Where(_fields.ContainsKey).ToDictionary(f => f, f => _fields[f], StringComparer.Ordinal),
        MissingSample = [.. _missing],
        ExtraSample = [.. _extra],
        DifferentSample = [.. _different],
        ChangedSample = [.. _changed],
    };

    /// <summary>Puts <paramref name="item"/> in its key's place, keeping the first <c>sampleSize</c> (usually at the end).</summary>
    private void Sample<T>(List<T> sample, T item, Func<T, RecordKey> key)
    {
        // Keys mostly come in order: check the end first, then search (held records come late, in order of their own).
        var itemKey = key(item);
        var at = sample.Count;
        if (at > 0 && spec.CompareKeys(key(sample[at - 1]), itemKey) > 0)
        {
            int low = 0, high = at - 1;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (spec.CompareKeys(key(sample[middle]), itemKey) > 0)
                {
                    high = middle;
                }
                else
                {
                    low = middle + 1;
                }
            }

            at = low;
        }

        if (at >= sampleSize)
        {
            return;
        }

        sample.Insert(at, item);
        if (sample.Count > sampleSize)
        {
            sample.RemoveAt(sample.Count - 1);
        }
    }
}

namespace Storage.Consistency;

/// <summary>A kind's description over its record type, with the streaming merge-join.</summary>
internal sealed class KindSpec<T>(
    RecordKind kind,
    Func<IConsistencySource, CancellationToken, IAsyncEnumerable<T>> stream,
    Comparison<T> compare,
    Func<T, RecordKey> key,
    Func<T, T, List<string>?> differences,
    Func<T, DateTimeOffset?> time,
    IReadOnlyList<string> fieldNames) : KindSpec
    where T : notnull
{
    private const int ProgressEvery = 1024;

    public override RecordKind Kind => kind;

    public override IReadOnlyList<string> FieldNames => fieldNames;

    public override RecordKey KeyOf(object record) => key((T)record);

    public override int Compare(object x, object y) => compare((T)x, (T)y);

    public override List<string>? Differences(object source, object target) => differences((T)source, (T)target);

    public override DateTimeOffset? TimeOf(object record) => time((T)record);

    public override async Task MergeAsync(CheckRun run, KindTally tally, CancellationToken cancellationToken)
    {
        await using var source = new ReadAhead<T>(stream(run.Source, cancellationToken), cancellationToken);
        await using var target = new ReadAhead<T>(stream(run.Target, cancellationToken), cancellationToken);
        var hasSource = await source.MoveNextAsync();
        var hasTarget = await target.MoveNextAsync();
        long sinceProgress = 0;
        while (hasSource || hasTarget)
        {
            var order = !hasTarget ? -1 : !hasSource ? 1 : compare(source.Current, target.Current);
            if (order < 0)
            {
                tally.SourceRecords++;
                await run.OnMissingAsync(this, tally, source.Current);
                hasSource = await NextAsync(source, "source", run.Source);
                sinceProgress++;
            }
            else if (order > 0)
            {
                tally.TargetRecords++;
                await run.OnExtraAsync(this, tally, target.Current);
                hasTarget = await NextAsync(target, "target", run.Target);
                sinceProgress++;
            }
            else
            {
                tally.SourceRecords++;
                tally.TargetRecords++;
                if (differences(source.Current, target.Current) is { } fields)
                {
                    await run.OnDifferentAsync(this, tally, source.Current, target.Current, fields);
                }
                else
                {
                    tally.Equal++;
                }

                hasSource = await NextAsync(source, "source", run.Source);
                hasTarget = await NextAsync(target, "target", run.Target);
                sinceProgress += 2;
            }

            if (sinceProgress >= ProgressEvery)
            {
                run.Progress?.AddRead(sinceProgress);
                sinceProgress = 0;
            }
        }

        run.Progress?.AddRead(sinceProgress);
    }

    /// <summary>Advances one side, checking that its stream is in strictly ascending key order (the merge relies on it).</summary>
    private async ValueTask<bool> NextAsync(ReadAhead<T> side, string role, IConsistencySource of)
    {
        var previous = side.Current;
        if (!await side.MoveNextAsync())
        {
            return false;
        }

        if (compare(previous, side.Current) >= 0)
        {
            throw new InvalidOperationException(
                $"The {role} ({of.Description}) returned {kind.Name()} records out of key order: {key(previous)} then {key(side.Current)}.");
        }

        return true;
    }
}

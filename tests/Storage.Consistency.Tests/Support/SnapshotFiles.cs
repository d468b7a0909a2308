using Storage.InMemory;

namespace Storage.Consistency.Tests.Support;

/// <summary>Writes data sets to snapshot files, and breaks snapshot files in the ways the checker must refuse.</summary>
public static class SnapshotFiles
{
    public static async Task<string> WriteAsync(DataSet data, string path, TimeProvider? time = null)
    {
        var (graph, tasks) = Stores.NewPair();
        await data.ImportAsync(graph, tasks);
        await SnapshotWriter.WriteAsync(path, graph, tasks, time ?? new ManualTimeProvider(Stores.Epoch.AddYears(5)));
        return path;
    }

    /// <summary>Copies a snapshot with its lines changed by <paramref name="edit"/>.</summary>
    public static string Edit(string path, string name, Func<List<string>, IEnumerable<string>> edit)
    {
        var lines = File.ReadAllLines(path).ToList();
        var target = Path.Combine(Path.GetDirectoryName(path)!, name);
        File.WriteAllText(target, string.Concat(edit(lines).Select(l => l + "\n")));
        return target;
    }

    /// <summary>Every way a snapshot can be bad, each with a word its error message must hold.</summary>
    public static IEnumerable<(string Name, string Path, string Expected)> BadCopies(string path)
    {
        yield return ("missing", Path.Combine(Path.GetDirectoryName(path)!, "nope.jsonl"), "cannot be opened");
        yield return ("truncated", Edit(path, "truncated.jsonl", l => l.Take(l.Count - 1)), "truncated");
        yield return ("cut mid-line", Edit(path, "cut.jsonl", l => l.Take(l.Count - 2).Append(l[^2][..(l[^2].Length / 2)])), "not valid JSON");
        yield return ("corrupt", Edit(path, "corrupt.jsonl", l => l.Take(2).Append("{not json").Concat(l.Skip(3))), "not valid JSON");
        yield return ("version 2", Edit(path, "v2.jsonl", l => l.Take(0).Append(l[0].Replace("\"version\":1", "\"version\":2", StringComparison.Ordinal)).Concat(l.Skip(1))), "version 2");
        yield return ("not a snapshot", Edit(path, "other.jsonl", _ => ["{\"hello\":1}"]), "not a storage snapshot");
        yield return ("empty", Edit(path, "empty.jsonl", _ => []), "empty");
        yield return ("out of order", Edit(path, "order.jsonl", l => l.Take(1).Append(l[2]).Append(l[1]).Concat(l.Skip(3))), "out of key order");
        yield return ("wrong count", Edit(path, "count.jsonl", l => l.Take(l.Count - 1).Append("{\"end\":{\"records\":999}}")), "999");
    }
}

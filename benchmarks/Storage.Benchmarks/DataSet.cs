using Storage.Abstractions;

namespace Storage.Benchmarks;

/// <summary>Deterministic benchmark data: projects with word-like names and descriptions, and agent tasks.</summary>
internal static class DataSet
{
    private static readonly string[] Syllables =
    [
        "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "qui", "dor", "fen", "gal", "hux", "jin",
        "bel", "cor", "dex", "far", "gro", "hal", "ion", "jet", "kin", "lum", "mox", "nor", "ost", "pix",
    ];

    private static readonly string[] Ecosystems = ["npm", "pypi", "cargo", "maven", "nuget"];

    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static string Word(Random random) => Syllables[random.Next(Syllables.Length)] + Syllables[random.Next(Syllables.Length)] + Syllables[random.Next(Syllables.Length)];

    public static ProjectKey Key(int i) => new(Ecosystems[i % Ecosystems.Length], $"{Word(new Random(i))}-{i}");

    public static Project Project(int i)
    {
        var random = new Random(i);
        var key = Key(i);
        var at = Epoch.AddSeconds(i);
        return new Project(
            key.Ecosystem, key.Name, "1.0." + (i % 50), $"{Word(random)} {Word(random)} library for {Word(random)} {Word(random)}",
            null, $"https://example.org/{key.Name}", 0, at, at);
    }

    public static IEnumerable<Project[]> Projects(int start, int count, int batch)
    {
        for (var offset = 0; offset < count; offset += batch)
        {
            yield return Enumerable.Range(start + offset, Math.Min(batch, count - offset)).Select(Project).ToArray();
        }
    }

    public static AgentTask Task(int i)
    {
        var at = Epoch.AddMilliseconds(i * 7L);
        var status = (AgentTaskStatus)(i % 5);
        return new AgentTask(
            $"task_{i:D9}", $"direction {i}", (AgentTaskType)(i % 5 * 7 % 5), status, "model-a", null, null, JsonMetadata.Empty,
            status == AgentTaskStatus.Completed ? 100 : i % 100, null, null, null, "t1", null, null, null, at, at);
    }

    public static IEnumerable<AgentTask[]> Tasks(int count, int batch)
    {
        for (var offset = 0; offset < count; offset += batch)
        {
            yield return Enumerable.Range(offset, Math.Min(batch, count - offset)).Select(Task).ToArray();
        }
    }
}

using System.Globalization;

namespace Storage.Consistency.Tests.Support;

/// <summary>
/// Builds valid, already-normalized records from a seeded random source, so a store returns exactly what was imported
/// (keys folded, text trimmed, times in whole microseconds, amounts with scale 2). Every value that must be unique
/// (ids, keys, emails) comes from a counter, so a data set and its drifted copy never collide by chance.
/// </summary>
public sealed class DataGen(int seed)
{
    private static readonly string[] Ecosystems = ["npm", "pypi", "cargo", "maven"];
    private static readonly string[] Suffixes = ["", "-x", "é", "日本", "😀", "_z", ".js"];
    private static readonly string[] Words = ["alpha", "Beta", "γάμμα", "with \"quotes\"", "tab\there", "ß", "日本語", "😀 emoji"];

    private readonly Random _random = new(seed);
    private int _counter;

    public int Next(int max) => _random.Next(max);

    public DataSet NewDataSet(int size)
    {
        var data = new DataSet();
        for (var i = 0; i < size + 1; i++)
        {
            data.Projects.Add(NewProject());
        }

        for (var i = 0; i < size * 2; i++)
        {
            AddEdge(data);
        }

        for (var i = 0; i < (size / 2) + 1; i++)
        {
            data.Contributors.Add(NewContributor());
            data.Assets.Add(NewAsset());
        }

        for (var i = 0; i < size; i++)
        {
            AddContribution(data);
        }

        for (var i = 0; i < size; i++)
        {
            data.Tasks.Add(NewTask());
        }

        return data;
    }

    public Project NewProject()
    {
        var (created, updated) = Times();
        return new Project(
            Pick(Ecosystems),
            $"p{Unique()}{Pick(Suffixes)}",
            Maybe($"{Next(10)}.{Next(10)}.{Next(10)}"),
            Maybe(Pick(Words)),
            Maybe($"https://example.org/{Unique()}"),
            Maybe($"https://git.example.org/{Unique()}"),
            0,
            created,
            updated);
    }

    public Contributor NewContributor()
    {
        var (created, updated) = Times();
        var n = Unique();
        return new Contributor(NewId(), "Contributor " + Pick(Words), Maybe($"c{n}@example.org"), Maybe("gh" + n), Maybe("0x" + n), Metadata(), created, updated);
    }

    public Asset NewAsset()
    {
        var (created, updated) = Times();
        return new Asset(NewId(), "Asset " + Pick(Words), Maybe(Pick(Words)), Pick(Enum.GetValues<AssetType>()), 0.00m, Metadata(), created, updated);
    }

    public Contribution NewContribution(Guid contributor, Guid asset)
        => new(NewId(), contributor, asset, Money(100_000), Money(101), Metadata(), Time());

    public AgentTask NewTask()
    {
        var (created, updated) = Times();
        var claimed = Next(2) == 0;
        return new AgentTask(
            $"task-{Unique()}{Pick(["", ".a", ":b", "_c"])}",
            "do " + Pick(Words),
            Pick(Enum.GetValues<AgentTaskType>()),
            Pick(Enum.GetValues<AgentTaskStatus>()),
            Maybe("model-" + Next(3)),
            Maybe("run " + Pick(Words)),
            Maybe(Pick(Words)),
            Metadata(),
            Next(101),
            Maybe("step " + Next(5)),
            Maybe("which? " + Pick(Words)),
            Maybe("this one"),
            Maybe("tier-" + Next(3)),
            claimed ? "worker-" + Next(4) : null,
            claimed ? Time() : null,
            Maybe<DateTimeOffset?>(Time()),
            created,
            updated);
    }

    /// <summary>Adds an edge between two different projects that is not there yet (when one can be found).</summary>
    public bool AddEdge(DataSet data)
    {
        for (var attempt = 0; attempt < 10 && data.Projects.Count > 1; attempt++)
        {
            var edge = new DependencyEdge(Pick(data.Projects).Key, Pick(data.Projects).Key);
            if (edge.From != edge.To && !data.Edges.Contains(edge))
            {
                data.Edges.Add(edge);
                return true;
            }
        }

        return false;
    }

    public bool AddContribution(DataSet data)
    {
        if (data.Contributors.Count == 0 || data.Assets.Count == 0)
        {
            return false;
        }

        data.Contributions.Add(NewContribution(Pick(data.Contributors).Id, Pick(data.Assets).Id));
        return true;
    }

    public Guid NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        bytes[6] = (byte)(0x40 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    public string Unique() => (++_counter).ToString(CultureInfo.InvariantCulture) + "s" + seed.ToString(CultureInfo.InvariantCulture);

    public DateTimeOffset Time() => Stores.Epoch.AddTicks(Next(1_000_000_000) * 10L);

    public (DateTimeOffset Created, DateTimeOffset Updated) Times()
    {
        var created = Time();
        return (created, created.AddTicks(Next(1_000_000) * 10L));
    }

    public decimal Money(int maxCents) => new(Next(maxCents), 0, 0, false, 2);

    public Storage.Abstractions.JsonMetadata Metadata()
        => Next(3) == 0 ? Storage.Abstractions.JsonMetadata.Empty : Storage.Abstractions.JsonMetadata.Parse($$"""{"n":{{Next(100)}},"w":"{{Next(9)}}"}""");

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public T? Maybe<T>(T value) => Next(3) == 0 ? default : value;
}

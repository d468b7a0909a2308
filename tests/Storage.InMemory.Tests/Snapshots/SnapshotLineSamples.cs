using System.Text.Json;
using System.Text.Json.Nodes;
using Storage.InMemory;

namespace Storage.InMemory.Tests;

/// <summary>
/// Random snapshot record lines from a seed: records of every kind with awkward text, times, amounts and
/// metadata (valid or not for a store), written by the snapshot serializer, then often reshaped the way a
/// hand-edited or foreign file might be: fields reordered, spaced out, escaped, nulled, dropped, repeated, retyped.
/// </summary>
internal static class SnapshotLineSamples
{
    private static readonly string[] Texts =
    [
        "npm", "react", "Alice", "a b", " x ", "", "   ", "ß", "é", "日本", "😀", "\"q\"", "back\\slash", "tab\there", "nul\0", "\ud800",
        "line\nbreak", "<&>", "+`'", "\u2028", "https://example.org/p", "http://a.b/c?d=e", "ftp://x", "not a url", "a@b.c", "A@B.C", "a@@b",
        "task_1", "t:1.x-y", "bad id", new string('x', 60), "UPPER", "\u0130", "model-a",
    ];

    private static readonly string[] Metadata = ["{}", """{"b":1,"a":[true,null]}""", """{"k":"v"}""", """{"z":{"y":"\u00e9","x":1.50}}""", """{ "a" : 2 }""", """{"a":1,"a":2}"""];

    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A line <c>{"tag": {record}}</c> for the seed, and whether it was left as the writer wrote it.</summary>
    public static (string Line, bool Plain) Line(int seed)
    {
        var random = new Random(seed);
        var (tag, record) = Record(random);
        var json = JsonSerializer.Serialize(record, record.GetType(), SnapshotFormat.Json);
        var line = $"{{\"{tag}\":{json}}}";
        return random.Next(3) == 0 ? (Reshape(random, tag, json), false) : (line, true);
    }

    /// <summary>A record of a random kind.</summary>
    public static (string Tag, object Record) Record(Random random) => random.Next(6) switch
    {
        0 => ("project", new Project(Text(random), Text(random), OptionalText(random), OptionalText(random), OptionalText(random), OptionalText(random),
            random.Next(-1, 5), Time(random), Time(random))),
        1 => ("dependency", new DependencyEdge(new ProjectKey(Text(random), Text(random)), new ProjectKey(Text(random), Text(random)))),
        2 => ("contributor", new Contributor(Id(random), Text(random), OptionalText(random), OptionalText(random), OptionalText(random), Json(random), Time(random), Time(random))),
        3 => ("asset", new Asset(Id(random), Text(random), OptionalText(random), (AssetType)random.Next(4), Amount(random), Json(random), Time(random), Time(random))),
        4 => ("contribution", new Contribution(Id(random), Id(random), Id(random), Amount(random), Amount(random), Json(random), Time(random))),
        _ => ("agent_task", Task(random)),
    };

    private static AgentTask Task(Random random)
    {
        var claimed = random.Next(3) == 0 ? null : OptionalText(random);
        return new AgentTask(
            Text(random), Text(random), (AgentTaskType)random.Next(5), (AgentTaskStatus)random.Next(5), OptionalText(random), OptionalText(random),
            OptionalText(random), Json(random), random.Next(-1, 102), OptionalText(random), OptionalText(random), OptionalText(random), OptionalText(random),
            claimed, claimed is null && random.Next(4) > 0 ? null : Time(random), random.Next(2) == 0 ? null : Time(random), Time(random), Time(random));
    }

    private static string Text(Random random)
        => random.Next(4) == 0 ? Texts[random.Next(Texts.Length)] + Texts[random.Next(Texts.Length)] : Texts[random.Next(Texts.Length)];

    private static string? OptionalText(Random random) => random.Next(3) == 0 ? null : Text(random);

    private static Guid Id(Random random) => random.Next(10) == 0 ? Guid.Empty : new Guid(random.Next(), 1, 0x7000, 0x80, 0, 0, 0, 0, 0, 0, (byte)random.Next(3));

    private static DateTimeOffset Time(Random random)
    {
        var at = Epoch.AddTicks(random.Next(4) == 0 ? random.Next(1, 10) : random.Next(0, 1000) * 10L);
        return random.Next(5) == 0 ? at.ToOffset(TimeSpan.FromHours(random.Next(-5, 6))) : at;
    }

    private static decimal Amount(Random random) => random.Next(6) switch
    {
        0 => 1.5m,
        1 => 0.001m,
        2 => -1.00m,
        3 => 12m,
        4 => 999_999_999_999.99m,
        _ => new decimal(random.Next(0, 200), 0, 0, false, 2),
    };

    private static JsonMetadata Json(Random random) => JsonMetadata.Parse(Metadata[random.Next(Metadata.Length - 1)]);

    /// <summary>The record's JSON changed in one of many ways a reader must handle exactly as the serializer does.</summary>
    private static string Reshape(Random random, string tag, string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        var names = node.Select(p => p.Key).ToList();
        var name = names[random.Next(names.Count)];
        switch (random.Next(12))
        {
            case 0:
                var shuffled = new JsonObject(node.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())).OrderBy(_ => random.Next()));
                return $"{{\"{tag}\":{shuffled.ToJsonString()}}}";
            case 1:
                return $"{{ \"{tag}\" : {node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).Replace("\n", " ", StringComparison.Ordinal)} }}  ";
            case 2:
                node[name] = null;
                break;
            case 3:
                node.Remove(name);
                break;
            case 4:
                node["colour"] = "red";
                break;
            case 5:
                return $"{{\"{tag}\":{json[..^1]},\"{name}\":{node[name]?.ToJsonString() ?? "null"}}}}}";
            case 6:
                node[name] = 7;
                break;
            case 7:
                node[name] = "7";
                break;
            case 8:
                return $"{{\"{tag}\":{json.Replace($"\"{name}\":", $"\"\\u{(int)name[0]:x4}{name[1..]}\":", StringComparison.Ordinal)}}}";
            case 9:
                return $"{{\"{tag}\":{EscapeAll(json)}}}";
            case 10:
                return $"{{\"{tag}\":{json},\"end\":null}}";
            default:
                return $"{{\"{tag.ToUpperInvariant()}\":{json}}}";
        }

        return $"{{\"{tag}\":{node.ToJsonString()}}}";
    }

    /// <summary>Every letter inside string values written as a \u escape.</summary>
    private static string EscapeAll(string json)
    {
        var builder = new System.Text.StringBuilder();
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (c == '\\')
            {
                builder.Append(c).Append(json[++i]);
                continue;
            }

            inString ^= c == '"';
            builder.Append(inString && char.IsAsciiLetter(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return builder.ToString();
    }
}

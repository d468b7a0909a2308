using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Storage.DualWrite;

public sealed partial class RepairJournal
{
    private static readonly Dictionary<string, EntityKind> KindsByName = Enum.GetValues<EntityKind>().ToDictionary(NameOf, k => k, StringComparer.Ordinal);

    /// <summary>The name of a kind in the journal: <c>project</c>, <c>contributor_email</c>, <c>agent_task</c>, ...</summary>
    internal static string NameOf(EntityKind kind) => JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    private static string NameOf(BackendRole role) => role == BackendRole.Source ? "source" : "target";

    private static void WriteEntry(Utf8JsonWriter writer, string kind, in EntityKey key, BackendRole good, DateTimeOffset at)
    {
        writer.WriteStartObject();
        writer.WriteString("event", kind);
        writer.WriteString("kind", NameOf(key.Kind));
        writer.WriteStartArray("key");
        foreach (var part in key.ToParts())
        {
            writer.WriteStringValue(part);
        }

        writer.WriteEndArray();
        writer.WriteString("good", NameOf(good));
        writer.WriteString("at", at);
        writer.WriteEndObject();
    }

    private void Replay()
    {
        if (!File.Exists(_path))
        {
            return;
        }

        var number = 0;
        foreach (var line in File.ReadLines(_path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                ApplyLine(line);
            }
            catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
            {
                DualWriteLog.JournalLineSkipped(_logger, _path, number, ex.Message);
            }
        }

        _pendingCount = _pending.Count;
        _goodOnSource = _pending.Count(p => p.Value == BackendRole.Source);
    }

    private void ApplyLine(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var kind = KindsByName[root.GetProperty("kind").GetString() ?? ""];
        var parts = root.GetProperty("key").EnumerateArray().Select(p => p.GetString() ?? "").ToArray();
        var key = EntityKey.FromParts(kind, parts);
        var good = root.GetProperty("good").GetString() switch
        {
            "source" => BackendRole.Source,
            "target" => BackendRole.Target,
            var other => throw new FormatException($"unknown backend '{other}'"),
        };
        switch (root.GetProperty("event").GetString())
        {
            case "dirty":
                _pending[key] = good;
                break;
            case "repaired":
                _pending.TryRemove(new KeyValuePair<EntityKey, BackendRole>(key, good));
                break;
            case var other:
                throw new FormatException($"unknown event '{other}'");
        }
    }
}

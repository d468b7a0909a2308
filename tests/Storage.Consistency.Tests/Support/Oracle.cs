using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Storage.Consistency;

namespace Storage.Consistency.Tests.Support;

/// <summary>
/// The expected differences between two data sets, computed independently of the engine: by key look-up in
/// dictionaries, and by comparing every public property by reflection (names turned snake_case).
/// </summary>
public static class Oracle
{
    /// <summary>One line per differing record: <c>project npm/a missing</c>, <c>asset … different [name, total_cost]</c>, sorted.</summary>
    public static List<string> Differences(DataSet source, DataSet target)
    {
        var lines = new List<string>();
        var (s, t) = (source.WithDerived(), target.WithDerived());
        foreach (var kind in RecordKinds.All)
        {
            var left = s.Records(kind).ToDictionary(r => r.Key, r => r.Record);
            var right = t.Records(kind).ToDictionary(r => r.Key, r => r.Record);
            foreach (var (key, record) in left)
            {
                if (!right.TryGetValue(key, out var other))
                {
                    lines.Add(Line(key, DriftCategory.MissingInTarget, []));
                }
                else if (Fields(record, other) is { Count: > 0 } fields)
                {
                    lines.Add(Line(key, DriftCategory.Different, fields));
                }
            }

            lines.AddRange(right.Keys.Where(k => !left.ContainsKey(k)).Select(k => Line(k, DriftCategory.ExtraInTarget, [])));
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    public static List<string> Lines(IEnumerable<Drift> drifts)
    {
        var lines = drifts.Select(d => Line(d.Key, d.Category, d.Fields)).ToList();
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    public static string Line(RecordKey key, DriftCategory category, IEnumerable<string> fields)
    {
        var sorted = fields.OrderBy(f => f, StringComparer.Ordinal).ToList();
        return category switch
        {
            DriftCategory.MissingInTarget => $"{key.Kind.Name()} {key} missing",
            DriftCategory.ExtraInTarget => $"{key.Kind.Name()} {key} extra",
            _ => $"{key.Kind.Name()} {key} different [{string.Join(", ", sorted)}]",
        };
    }

    private static List<string> Fields(object a, object b)
    {
        var fields = new List<string>();
        foreach (var property in a.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonIgnoreAttribute>() is not null)
            {
                continue;
            }

            if (!Equals(property.GetValue(a), property.GetValue(b)))
            {
                fields.Add(JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name));
            }
        }

        return fields;
    }
}

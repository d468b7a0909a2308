using System.Collections.Concurrent;
using System.Reflection;

namespace Storage.DualWrite;

/// <summary>Names the fields in which two answers to the same read differ (by record equality first; reflection only on a mismatch).</summary>
internal static class ShadowDiff
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    public static IReadOnlyList<string> Fields<T>(T expected, T actual)
    {
        if (EqualityComparer<T>.Default.Equals(expected, actual))
        {
            return [];
        }

        if (expected is null || actual is null)
        {
            return ["(presence)"];
        }

        var differing = new List<string>();
        foreach (var property in Properties.GetOrAdd(expected.GetType(), static t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)))
        {
            if (property.GetIndexParameters().Length == 0 && !Equals(property.GetValue(expected), property.GetValue(actual)))
            {
                differing.Add(property.Name);
            }
        }

        return differing.Count == 0 ? ["(value)"] : differing;
    }
}

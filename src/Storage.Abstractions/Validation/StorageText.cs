namespace Storage.Abstractions;

/// <summary>
/// The one definition of trimming and case-folding that every backend uses. Databases never fold or trim
/// on their own: values arrive already normalized, so every backend stores and compares the same text.
/// </summary>
public static class StorageText
{
    /// <summary>Lower-cases with the invariant culture's simple case mapping (length-preserving).</summary>
    public static string Fold(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.ToLowerInvariant();
    }

    /// <summary>True when the text contains <paramref name="folded"/> after folding (ordinal comparison).</summary>
    public static bool FoldedContains(string? text, string folded)
        => text is not null && Fold(text).Contains(folded, StringComparison.Ordinal);

    /// <summary>
    /// Returns the reason <paramref name="value"/> cannot be stored as PostgreSQL text, or null when it can:
    /// a NUL character, or an unpaired UTF-16 surrogate (which UTF-8 cannot carry).
    /// </summary>
    public static string? FindUnstorable(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                return $"must not contain a NUL character (found at index {i})";
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"must be valid Unicode (unpaired surrogate at index {i})";
            }
        }

        return null;
    }
}

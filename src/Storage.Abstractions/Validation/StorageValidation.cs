namespace Storage.Abstractions;

/// <summary>
/// The one validation layer every backend calls before it writes or queries. Each method returns the
/// normalized value (trimmed, folded, scale fixed, times in UTC) or throws
/// <see cref="StorageValidationException"/> naming the field. Field names are the schema's column names.
/// </summary>
public static partial class StorageValidation
{
    /// <summary>A required text field: trimmed, non-empty, at most <paramref name="max"/> characters.</summary>
    public static string RequiredTrimmed(string? value, string field, int max)
    {
        if (value is null)
        {
            throw new StorageValidationException(field, "is required");
        }

        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            throw new StorageValidationException(field, "must not be empty or whitespace");
        }

        return CheckText(trimmed, field, max);
    }

    /// <summary>An optional short text field: trimmed; empty or whitespace-only becomes null.</summary>
    public static string? OptionalTrimmed(string? value, string field, int max)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : CheckText(trimmed, field, max);
    }

    /// <summary>An optional free-text field, kept exactly as given.</summary>
    public static string? OptionalText(string? value, string field, int max)
        => value is null ? null : CheckText(value, field, max);

    /// <summary>A page size between 1 and <paramref name="max"/>.</summary>
    public static int Limit(int limit, int max = StorageLimits.MaxPage)
        => limit is < 1 || limit > max
            ? throw new StorageValidationException("limit", $"must be between 1 and {max} (got {limit})")
            : limit;

    /// <summary>A page offset of at least 0.</summary>
    public static int Offset(int offset)
        => offset < 0 ? throw new StorageValidationException("offset", $"must be 0 or more (got {offset})") : offset;

    /// <summary>A defined enum value.</summary>
    public static TEnum Defined<TEnum>(TEnum value, string field)
        where TEnum : struct, Enum
        => Enum.IsDefined(value) ? value : throw new StorageValidationException(field, $"has no value {value}");

    /// <summary>A JSON object, or <see cref="JsonMetadata.Empty"/> for null.</summary>
    public static JsonMetadata Json(JsonMetadata? value) => value ?? JsonMetadata.Empty;

    /// <summary>A non-empty id.</summary>
    public static Guid Id(Guid id, string field)
        => id == Guid.Empty ? throw new StorageValidationException(field, "must not be the empty UUID") : id;

    /// <summary>A created/updated pair: both microsecond UTC, updated not earlier than created.</summary>
    public static (DateTimeOffset Created, DateTimeOffset Updated) Times(DateTimeOffset createdAt, DateTimeOffset updatedAt)
    {
        var created = StorageTime.Normalize(createdAt, "created_at");
        var updated = StorageTime.Normalize(updatedAt, "updated_at");
        return updated < created
            ? throw new StorageValidationException("updated_at", "must not be earlier than created_at")
            : (created, updated);
    }

    /// <summary>A decimal between <paramref name="min"/> and <paramref name="max"/> with at most two decimals, returned with scale 2.</summary>
    public static decimal Money(decimal value, string field, decimal min, decimal max)
    {
        if (value < min || value > max)
        {
            throw new StorageValidationException(field, $"must be between {min} and {max} (got {value})");
        }

        if (decimal.Round(value, 2) != value)
        {
            throw new StorageValidationException(field, $"must have at most 2 decimal places (got {value})");
        }

        return decimal.Round(value, 2) + 0.00m;
    }

    /// <summary>
    /// Normalizes every record of an import batch and rejects a batch that names the same key twice
    /// (a database applies a batch as one statement, which cannot write one row twice).
    /// </summary>
    public static IReadOnlyList<T> Batch<T, TKey>(IReadOnlyCollection<T> batch, Func<T, T> normalize, Func<T, TKey> key)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(batch);
        var result = new List<T>(batch.Count);
        var seen = new HashSet<TKey>();
        foreach (var item in batch)
        {
            var normalized = normalize(item ?? throw new StorageValidationException("batch", "must not contain null records"));
            if (!seen.Add(key(normalized)))
            {
                throw new StorageValidationException("batch", $"names {key(normalized)} more than once");
            }

            result.Add(normalized);
        }

        return result;
    }

    private static string CheckText(string value, string field, int max)
    {
        if (value.Length > max)
        {
            throw new StorageValidationException(field, $"must be at most {max} characters (got {value.Length})");
        }

        return StorageText.FindUnstorable(value) is { } reason
            ? throw new StorageValidationException(field, reason)
            : value;
    }
}

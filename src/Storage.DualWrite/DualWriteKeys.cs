namespace Storage.DualWrite;

/// <summary>
/// Normalizes caller input into <see cref="EntityKey"/>s with the shared validation. A value that does not validate
/// gives no key: the call then goes straight to the authoritative backend, which reports the error itself.
/// </summary>
internal static class DualWriteKeys
{
    public static bool TryProject(ProjectKey key, out EntityKey entity)
    {
        try
        {
            entity = EntityKey.Project(StorageValidation.Key(key));
            return true;
        }
        catch (StorageValidationException)
        {
            entity = default;
            return false;
        }
    }

    public static bool TryContributor(Guid id, out EntityKey entity)
    {
        entity = EntityKey.Contributor(id);
        return true;
    }

    public static bool TryAsset(Guid id, out EntityKey entity)
    {
        entity = EntityKey.Asset(id);
        return true;
    }

    public static bool TryContribution(Guid id, out EntityKey entity)
    {
        entity = EntityKey.Contribution(id);
        return true;
    }

    public static bool TryEdge(ProjectKey from, ProjectKey to, out DependencyEdge edge)
    {
        try
        {
            edge = StorageValidation.Edge(from, to);
            return true;
        }
        catch (StorageValidationException)
        {
            edge = default;
            return false;
        }
    }

    public static bool TryEmail(string? email, out EntityKey entity)
    {
        try
        {
            entity = EntityKey.ContributorEmail(StorageValidation.Email(email));
            return true;
        }
        catch (StorageValidationException)
        {
            entity = default;
            return false;
        }
    }

    public static bool TryTask(string? id, out EntityKey entity)
    {
        try
        {
            entity = EntityKey.AgentTask(StorageValidation.TaskId(id));
            return true;
        }
        catch (StorageValidationException)
        {
            entity = default;
            return false;
        }
    }

    /// <summary>The keys of a batch, or null when the batch or one of its records is null or does not validate.</summary>
    public static EntityKey[]? TryAll<T>(IReadOnlyCollection<T>? batch, Func<T, EntityKey?> key)
        where T : class
    {
        if (batch is null)
        {
            return null;
        }

        var keys = new EntityKey[batch.Count];
        var i = 0;
        foreach (var item in batch)
        {
            if (item is null || key(item) is not { } k)
            {
                return null;
            }

            keys[i++] = k;
        }

        return keys;
    }
}

namespace Storage.Abstractions;

public static partial class StorageValidation
{
    /// <summary>A project key: both parts trimmed, non-empty, folded to lower case.</summary>
    public static ProjectKey Key(ProjectKey key)
        => new(
            StorageText.Fold(RequiredTrimmed(key.Ecosystem, "ecosystem", StorageLimits.Ecosystem)),
            StorageText.Fold(RequiredTrimmed(key.Name, "name", StorageLimits.Name)));

    /// <summary>An edge: two valid keys that differ.</summary>
    public static DependencyEdge Edge(ProjectKey from, ProjectKey to)
    {
        var edge = new DependencyEdge(Key(from), Key(to));
        return edge.From == edge.To
            ? throw new StorageValidationException("dependency", $"a project cannot depend on itself ({edge.From})")
            : edge;
    }

    /// <summary>The project fields of an upsert, normalized.</summary>
    public static ProjectUpsert Normalize(ProjectUpsert project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var key = Key(new ProjectKey(project.Ecosystem, project.Name));
        return new ProjectUpsert(key.Ecosystem, key.Name)
        {
            Version = OptionalTrimmed(project.Version, "version", StorageLimits.Version),
            Description = OptionalText(project.Description, "description", StorageLimits.Description),
            HomepageUrl = Url(project.HomepageUrl, "homepage_url"),
            RepositoryUrl = Url(project.RepositoryUrl, "repository_url"),
        };
    }

    /// <summary>A project to import: fields as for an upsert, valid times; the derived dependency count is set to 0 (the store recomputes it).</summary>
    public static Project Normalize(Project project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var fields = Normalize(new ProjectUpsert(project.Ecosystem, project.Name)
        {
            Version = project.Version,
            Description = project.Description,
            HomepageUrl = project.HomepageUrl,
            RepositoryUrl = project.RepositoryUrl,
        });
        var (created, updated) = Times(project.CreatedAt, project.UpdatedAt);
        return new Project(fields.Ecosystem, fields.Name, fields.Version, fields.Description, fields.HomepageUrl, fields.RepositoryUrl, 0, created, updated);
    }

    /// <summary>A search: text trimmed (1..200 characters) and folded; limit 1..100.</summary>
    public static ProjectSearch Normalize(ProjectSearch search)
    {
        ArgumentNullException.ThrowIfNull(search);
        return new ProjectSearch(
            StorageText.Fold(RequiredTrimmed(search.Text, "text", StorageLimits.SearchText)),
            Limit(search.Limit));
    }

    /// <summary>A transitive walk depth, 1..20.</summary>
    public static int MaxDepth(int maxDepth)
        => maxDepth is < 1 or > StorageLimits.MaxDepth
            ? throw new StorageValidationException("max_depth", $"must be between 1 and {StorageLimits.MaxDepth} (got {maxDepth})")
            : maxDepth;

    /// <summary>An email: trimmed, folded, one <c>@</c> with text on both sides, no whitespace.</summary>
    public static string Email(string? email)
    {
        var value = StorageText.Fold(RequiredTrimmed(email, "email", StorageLimits.Email));
        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != value.LastIndexOf('@') || at == value.Length - 1 || value.Any(char.IsWhiteSpace))
        {
            throw new StorageValidationException("email", "must look like name@domain, without spaces");
        }

        return value;
    }

    /// <summary>A new contributor, normalized.</summary>
    public static NewContributor Normalize(NewContributor contributor)
    {
        ArgumentNullException.ThrowIfNull(contributor);
        return new NewContributor(RequiredTrimmed(contributor.Name, "name", StorageLimits.Name))
        {
            Email = string.IsNullOrWhiteSpace(contributor.Email) ? null : Email(contributor.Email),
            GithubUsername = OptionalTrimmed(contributor.GithubUsername, "github_username", StorageLimits.GithubUsername),
            WalletAddress = OptionalTrimmed(contributor.WalletAddress, "wallet_address", StorageLimits.WalletAddress),
            Metadata = Json(contributor.Metadata),
        };
    }

    /// <summary>A contributor to import, normalized.</summary>
    public static Contributor Normalize(Contributor contributor)
    {
        ArgumentNullException.ThrowIfNull(contributor);
        var fields = Normalize(new NewContributor(contributor.Name)
        {
            Email = contributor.Email,
            GithubUsername = contributor.GithubUsername,
            WalletAddress = contributor.WalletAddress,
            Metadata = contributor.Metadata,
        });
        var (created, updated) = Times(contributor.CreatedAt, contributor.UpdatedAt);
        return new Contributor(Id(contributor.Id, "id"), fields.Name, fields.Email, fields.GithubUsername, fields.WalletAddress, fields.Metadata!, created, updated);
    }

    /// <summary>A new asset, normalized.</summary>
    public static NewAsset Normalize(NewAsset asset)
    {
        ArgumentNullException.ThrowIfNull(asset);
        return new NewAsset(RequiredTrimmed(asset.Name, "name", StorageLimits.Name), Defined(asset.AssetType, "asset_type"))
        {
            Description = OptionalText(asset.Description, "description", StorageLimits.Description),
            Metadata = Json(asset.Metadata),
        };
    }

    /// <summary>An asset to import, normalized; its total cost is set to 0 (the store derives it).</summary>
    public static Asset Normalize(Asset asset)
    {
        ArgumentNullException.ThrowIfNull(asset);
        var fields = Normalize(new NewAsset(asset.Name, asset.AssetType) { Description = asset.Description, Metadata = asset.Metadata });
        var (created, updated) = Times(asset.CreatedAt, asset.UpdatedAt);
        return new Asset(Id(asset.Id, "id"), fields.Name, fields.Description, fields.AssetType, 0.00m, fields.Metadata!, created, updated);
    }

    /// <summary>A new contribution, normalized: amounts with scale 2, never rounded.</summary>
    public static NewContribution Normalize(NewContribution contribution)
    {
        ArgumentNullException.ThrowIfNull(contribution);
        return new NewContribution(
            Id(contribution.ContributorId, "contributor_id"),
            Id(contribution.AssetId, "asset_id"),
            Money(contribution.CostAmount, "cost_amount", 0m, StorageLimits.MaxCostAmount),
            Money(contribution.CoherenceScore, "coherence_score", 0m, 1m))
        {
            Metadata = Json(contribution.Metadata),
        };
    }

    /// <summary>A contribution to import, normalized.</summary>
    public static Contribution Normalize(Contribution contribution)
    {
        ArgumentNullException.ThrowIfNull(contribution);
        var fields = Normalize(new NewContribution(contribution.ContributorId, contribution.AssetId, contribution.CostAmount, contribution.CoherenceScore)
        {
            Metadata = contribution.Metadata,
        });
        return new Contribution(
            Id(contribution.Id, "id"), fields.ContributorId, fields.AssetId, fields.CostAmount, fields.CoherenceScore, fields.Metadata!,
            StorageTime.Normalize(contribution.CreatedAt, "created_at"));
    }

    /// <summary>A contribution query: limit 1..100, offset at least 0.</summary>
    public static ContributionQuery Normalize(ContributionQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        _ = Limit(query.Limit);
        _ = Offset(query.Offset);
        return query;
    }

    private static string? Url(string? value, string field)
    {
        var url = OptionalTrimmed(value, field, StorageLimits.Url);
        if (url is null)
        {
            return null;
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new StorageValidationException(field, "must be an absolute http or https URL");
    }
}

using System.Text.Json;
using Storage.Abstractions;

namespace Storage.InMemory;

internal sealed partial class SnapshotRecordParser
{
    private readonly LastText _ecosystem = new();
    private readonly LastText _fromEcosystem = new();
    private readonly LastText _fromName = new();
    private readonly LastText _toEcosystem = new();
    private readonly LastText _toName = new();

    private static readonly byte[][] ProjectFields = Names(
        "ecosystem", "name", "version", "description", "homepage_url", "repository_url", "dependency_count", "created_at", "updated_at");

    private static readonly byte[][] EdgeFields = Names("from", "to");

    private static readonly byte[][] KeyFields = Names("ecosystem", "name");

    private static readonly byte[][] ContributorFields = Names(
        "id", "name", "email", "github_username", "wallet_address", "metadata", "created_at", "updated_at");

    private static readonly byte[][] AssetFields = Names(
        "id", "name", "description", "asset_type", "total_cost", "metadata", "created_at", "updated_at");

    private static readonly byte[][] ContributionFields = Names(
        "id", "contributor_id", "asset_id", "cost_amount", "coherence_score", "metadata", "created_at");

    private static readonly byte[][] AssetTypes = Names([.. Enum.GetValues<AssetType>().Select(StorageNames.Of)]);

    private static readonly byte[][] PlainProject = Prefixes("project", ProjectFields);

    private static readonly byte[][] PlainDependency = Prefixes("dependency", EdgeFields);

    private static readonly byte[][] PlainKey = Prefixes(null, KeyFields);

    private static readonly byte[][] PlainContributor = Prefixes("contributor", ContributorFields);

    private static readonly byte[][] PlainAsset = Prefixes("asset", AssetFields);

    private static readonly byte[][] PlainContribution = Prefixes("contribution", ContributionFields);

    private Project? ReadProject(ref Utf8JsonReader reader)
    {
        string ecosystem = null!, name = null!;
        string? version = null, description = null, homepage = null, repository = null;
        var count = 0;
        DateTimeOffset created = default, updated = default;
        int field = -1, seen = 0;
        while (NextField(ref reader, ProjectFields, ref field, ref seen))
        {
            var ok = field switch
            {
                0 => Text(ref reader, _ecosystem, out ecosystem),
                1 => Text(ref reader, out name),
                2 => OptionalText(ref reader, out version),
                3 => OptionalText(ref reader, out description),
                4 => OptionalText(ref reader, out homepage),
                5 => OptionalText(ref reader, out repository),
                6 => Int32(ref reader, out count),
                7 => Time(ref reader, out created),
                _ => Time(ref reader, out updated),
            };
            if (!ok)
            {
                return null;
            }
        }

        return Complete(field, seen, ProjectFields)
            ? new Project(ecosystem, name, version, description, homepage, repository, count, created, updated)
            : null;
    }

    private DependencyEdge? ReadDependency(ref Utf8JsonReader reader)
    {
        ProjectKey from = default, to = default;
        int field = -1, seen = 0;
        while (NextField(ref reader, EdgeFields, ref field, ref seen))
        {
            if (!(field == 0 ? Key(ref reader, _fromEcosystem, _fromName, out from) : Key(ref reader, _toEcosystem, _toName, out to)))
            {
                return null;
            }
        }

        return Complete(field, seen, EdgeFields) ? new DependencyEdge(from, to) : null;
    }

    private static bool Key(ref Utf8JsonReader reader, LastText lastEcosystem, LastText lastName, out ProjectKey key)
    {
        key = default;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        string ecosystem = null!, name = null!;
        int field = -1, seen = 0;
        while (NextField(ref reader, KeyFields, ref field, ref seen))
        {
            if (!(field == 0 ? Text(ref reader, lastEcosystem, out ecosystem) : Text(ref reader, lastName, out name)))
            {
                return false;
            }
        }

        key = new ProjectKey(ecosystem, name);
        return Complete(field, seen, KeyFields);
    }

    private static Contributor? ReadContributor(ref Utf8JsonReader reader)
    {
        var id = Guid.Empty;
        string name = null!;
        string? email = null, github = null, wallet = null;
        JsonMetadata metadata = null!;
        DateTimeOffset created = default, updated = default;
        int field = -1, seen = 0;
        while (NextField(ref reader, ContributorFields, ref field, ref seen))
        {
            var ok = field switch
            {
                0 => Id(ref reader, out id),
                1 => Text(ref reader, out name),
                2 => OptionalText(ref reader, out email),
                3 => OptionalText(ref reader, out github),
                4 => OptionalText(ref reader, out wallet),
                5 => Metadata(ref reader, out metadata),
                6 => Time(ref reader, out created),
                _ => Time(ref reader, out updated),
            };
            if (!ok)
            {
                return null;
            }
        }

        return Complete(field, seen, ContributorFields)
            ? new Contributor(id, name, email, github, wallet, metadata, created, updated)
            : null;
    }

    private static Asset? ReadAsset(ref Utf8JsonReader reader)
    {
        var id = Guid.Empty;
        string name = null!;
        string? description = null;
        var type = 0;
        var total = 0m;
        JsonMetadata metadata = null!;
        DateTimeOffset created = default, updated = default;
        int field = -1, seen = 0;
        while (NextField(ref reader, AssetFields, ref field, ref seen))
        {
            var ok = field switch
            {
                0 => Id(ref reader, out id),
                1 => Text(ref reader, out name),
                2 => OptionalText(ref reader, out description),
                3 => Named(ref reader, AssetTypes, out type),
                4 => Decimal(ref reader, out total),
                5 => Metadata(ref reader, out metadata),
                6 => Time(ref reader, out created),
                _ => Time(ref reader, out updated),
            };
            if (!ok)
            {
                return null;
            }
        }

        return Complete(field, seen, AssetFields)
            ? new Asset(id, name, description, (AssetType)type, total, metadata, created, updated)
            : null;
    }

    private static Contribution? ReadContribution(ref Utf8JsonReader reader)
    {
        Guid id = Guid.Empty, contributor = Guid.Empty, asset = Guid.Empty;
        decimal cost = 0m, score = 0m;
        JsonMetadata metadata = null!;
        DateTimeOffset created = default;
        int field = -1, seen = 0;
        while (NextField(ref reader, ContributionFields, ref field, ref seen))
        {
            var ok = field switch
            {
                0 => Id(ref reader, out id),
                1 => Id(ref reader, out contributor),
                2 => Id(ref reader, out asset),
                3 => Decimal(ref reader, out cost),
                4 => Decimal(ref reader, out score),
                5 => Metadata(ref reader, out metadata),
                _ => Time(ref reader, out created),
            };
            if (!ok)
            {
                return null;
            }
        }

        return Complete(field, seen, ContributionFields)
            ? new Contribution(id, contributor, asset, cost, score, metadata, created)
            : null;
    }
}

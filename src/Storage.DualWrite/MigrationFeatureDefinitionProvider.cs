using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;

namespace Storage.DualWrite;

/// <summary>
/// Feature definitions for the <see cref="MigrationFeatures"/>, built from the validated flags in force (so an invalid
/// value never reaches a feature), in front of the host's own provider for every other feature. The definitions follow
/// configuration reloads through <see cref="MigrationFlagsMonitor"/>; the decorators themselves read the monitor, not
/// the feature manager, so routing costs nothing per call.
/// </summary>
public sealed class MigrationFeatureDefinitionProvider : IFeatureDefinitionProvider
{
    private const string AlwaysOn = "AlwaysOn";
    private const string Percentage = "Microsoft.Percentage";

    private static readonly string[] Names =
        [MigrationFeatures.DualWriteMode, MigrationFeatures.ReadFromPostgres, MigrationFeatures.PostgresPrimary, MigrationFeatures.PostgresOnly];

    private readonly MigrationFlagsMonitor _flags;
    private readonly IFeatureDefinitionProvider? _inner;

    /// <summary>Creates the provider.</summary>
    /// <param name="flags">The flags in force.</param>
    /// <param name="inner">The host's provider of its other features (for example <see cref="ConfigurationFeatureDefinitionProvider"/>); none when null.</param>
    public MigrationFeatureDefinitionProvider(MigrationFlagsMonitor flags, IFeatureDefinitionProvider? inner = null)
    {
        ArgumentNullException.ThrowIfNull(flags);
        _flags = flags;
        _inner = inner;
    }

    /// <inheritdoc/>
    public Task<FeatureDefinition> GetFeatureDefinitionAsync(string featureName)
        => Define(featureName, _flags.Current) is { } definition
            ? Task.FromResult(definition)
            : _inner?.GetFeatureDefinitionAsync(featureName) ?? Task.FromResult<FeatureDefinition>(null!);

    /// <inheritdoc/>
    public async IAsyncEnumerable<FeatureDefinition> GetAllFeatureDefinitionsAsync()
    {
        var flags = _flags.Current;
        foreach (var name in Names)
        {
            yield return Define(name, flags)!;
        }

        if (_inner is null)
        {
            yield break;
        }

        await foreach (var definition in _inner.GetAllFeatureDefinitionsAsync().ConfigureAwait(false))
        {
            if (Array.IndexOf(Names, definition.Name) < 0)
            {
                yield return definition;
            }
        }
    }

    private static FeatureDefinition? Define(string name, MigrationFlags flags) => name switch
    {
        MigrationFeatures.DualWriteMode => Switch(name, flags.DualWriteMode || flags.PostgresPrimary),
        MigrationFeatures.PostgresPrimary => Switch(name, flags.PostgresPrimary),
        MigrationFeatures.PostgresOnly => Switch(name, flags.PostgresOnly),
        MigrationFeatures.ReadFromPostgres => flags.Authoritative == BackendRole.Target ? Switch(name, true)
            : !flags.DualWriteMode || flags.ReadFromPostgresPercent == 0 ? Switch(name, false)
            : new FeatureDefinition
            {
                Name = name,
                EnabledFor = [new FeatureFilterConfiguration { Name = Percentage, ParametersObject = new PercentageFilterSettings { Value = flags.ReadFromPostgresPercent } }],
            },
        _ => null,
    };

    private static FeatureDefinition Switch(string name, bool on) => new()
    {
        Name = name,
        Status = on ? FeatureStatus.Conditional : FeatureStatus.Disabled,
        EnabledFor = on ? [new FeatureFilterConfiguration { Name = AlwaysOn }] : [],
    };
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Storage.DualWrite;

/// <summary>Fails the host's start when the migration flags in configuration are invalid (the message names the setting).</summary>
internal sealed class MigrationFlagsStartupValidator(IConfiguration configuration) : IValidateOptions<DualWriteOptions>
{
    public ValidateOptionsResult Validate(string? name, DualWriteOptions options)
    {
        try
        {
            _ = MigrationFlagsReader.Read(configuration);
            return ValidateOptionsResult.Success;
        }
        catch (MigrationFlagsException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}

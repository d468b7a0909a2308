using Microsoft.Extensions.Options;

namespace Storage.InMemory;

/// <summary>Checks <see cref="InMemoryStorageOptions"/> at start-up.</summary>
internal sealed class InMemoryStorageOptionsValidator : IValidateOptions<InMemoryStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, InMemoryStorageOptions options)
    {
        if (options.SnapshotPath is { } path)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                return ValidateOptionsResult.Fail("InMemoryStorage:SnapshotPath must not be empty or whitespace when set.");
            }

            if (!options.AllowMissingSnapshot && !File.Exists(path))
            {
                return ValidateOptionsResult.Fail($"InMemoryStorage:SnapshotPath '{path}' does not exist (set AllowMissingSnapshot to start empty).");
            }
        }

        return ValidateOptionsResult.Success;
    }
}

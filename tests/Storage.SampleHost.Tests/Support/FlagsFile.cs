using System.Text.Json;

namespace Storage.SampleHost.Tests;

/// <summary>A flags file in a folder of its own (the host watches the folder), replaced whole on each write.</summary>
public sealed class FlagsFile : IDisposable
{
    private readonly string _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"samplehost-{Guid.NewGuid():N}");

    public FlagsFile()
    {
        Directory.CreateDirectory(_folder);
        Path = System.IO.Path.Combine(_folder, "flags.json");
    }

    public string Path { get; }

    /// <summary>Writes <c>{"Storage":{"Migration":{...}}}</c> to a new file and renames it over the old one, so a reader never sees half a file.</summary>
    public void Write(object migration)
    {
        var temporary = Path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new { Storage = new { Migration = migration } }));
        File.Move(temporary, Path, overwrite: true);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

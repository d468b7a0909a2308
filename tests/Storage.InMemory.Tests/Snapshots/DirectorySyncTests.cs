namespace Storage.InMemory.Tests.Snapshots;

public sealed class DirectorySyncTests
{
    [Fact]
    public void Sync_of_a_missing_folder_says_which_and_why()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows has no directory sync: nothing is opened there.
        }

        var missing = Path.Combine(Path.GetTempPath(), $"dirsync-missing-{Guid.NewGuid():N}");

        var error = Assert.Throws<IOException>(() => DirectorySync.Sync(missing));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", error.Message, StringComparison.Ordinal);
    }
}

using System.Runtime.InteropServices;

namespace Storage.InMemory;

/// <summary>
/// Makes a rename into a directory durable: on Linux and macOS the new name reaches the disk only when the directory
/// itself is synced (<c>fsync</c> on the directory), which .NET has no call for. Elsewhere (Windows) nothing is done.
/// </summary>
internal static class DirectorySync
{
    /// <summary>Syncs <paramref name="directory"/>; an I/O failure is thrown, since the caller promised a durable file.</summary>
    /// <exception cref="IOException">The directory could not be opened or synced.</exception>
    public static void Sync(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var handle = NativeMethods.Open(directory, NativeMethods.ReadOnly);
        if (handle < 0)
        {
            throw Failure("open", directory);
        }

        try
        {
            if (NativeMethods.Fsync(handle) != 0)
            {
                throw Failure("sync", directory);
            }
        }
        finally
        {
            _ = NativeMethods.Close(handle);
        }
    }

    private static IOException Failure(string what, string directory)
        => new($"Could not {what} the folder {directory} to make the snapshot's name durable: {Marshal.GetLastPInvokeErrorMessage()}.");

    // DllImport, not LibraryImport: the generated marshalling would need unsafe code in this assembly for three calls.
    private static class NativeMethods
    {
        public const int ReadOnly = 0;

        [DllImport("libc", EntryPoint = "open", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Open(string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Fsync(int handle);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Close(int handle);
    }
}

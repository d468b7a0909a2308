using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Storage.InMemory;

/// <summary>
/// The two file-system questions .NET has no call for, asked of libc: what kind of entry a path names (a snapshot
/// replaces only a regular file), and syncing a directory (on Linux and macOS a renamed file's new name reaches the disk
/// only when its directory is synced). Elsewhere the answers are the safe defaults.
/// </summary>
internal static class UnixFiles
{
    private const int SymlinkNoFollow = 0x100;          // AT_SYMLINK_NOFOLLOW
    private const int CurrentDirectory = -100;         // AT_FDCWD
    private const uint TypeMask = 0x0001;              // STATX_TYPE
    private const int ModeOffset = 28;                 // stx_mode in struct statx, the same on every Linux architecture
    private const int FileTypeBits = 0xF000;           // S_IFMT
    private const int RegularFile = 0x8000;            // S_IFREG
    private const int Directory = 0x4000;              // S_IFDIR

    /// <summary>
    /// What <paramref name="path"/> names without following a link: null when nothing, "a file", "a folder", or what
    /// else it is ("a link", "a device, a pipe or a socket").
    /// </summary>
    public static string? Describe(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return "a link";
        }

        if (System.IO.Directory.Exists(path))
        {
            return "a folder";
        }

        if (!info.Exists)
        {
            return null;
        }

        if (!OperatingSystem.IsLinux())
        {
            return "a file";
        }

        var buffer = new byte[256];
        try
        {
            if (NativeMethods.Statx(CurrentDirectory, path, SymlinkNoFollow, TypeMask, buffer) != 0)
            {
                return "a file";    // statx refused (an old kernel): the checks above are all there is.
            }
        }
        catch (EntryPointNotFoundException)
        {
            return "a file";        // a libc without statx (glibc before 2.28, musl before 1.2.5): likewise.
        }

        var mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(ModeOffset));
        return (mode & FileTypeBits) switch
        {
            RegularFile => "a file",
            Directory => "a folder",
            _ => "a device, a pipe or a socket",
        };
    }

    /// <summary>Syncs <paramref name="directory"/>; an I/O failure is thrown, since the caller promised a durable file.</summary>
    /// <exception cref="IOException">The directory could not be opened or synced.</exception>
    public static void SyncDirectory(string directory)
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
        => new($"The snapshot is written and in place, but the folder {directory} could not be {what}ed to make its name survive a power loss: {Marshal.GetLastPInvokeErrorMessage()}.");

    // DllImport, not LibraryImport: the generated marshalling would need unsafe code in this assembly for four calls.
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

        [DllImport("libc", EntryPoint = "statx", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Statx(int directory, string path, int flags, uint mask, byte[] result);
    }
}

using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Storage.Testing;

public sealed partial class PostgresServer
{
    /// <summary>A throwaway cluster in a temporary folder, run through pg_ctl (as the postgres user when we are root).</summary>
    private sealed class LocalCluster
    {
        private const string SystemUser = "postgres";
        private const string FolderPrefix = "storage-pg-";

        private readonly string _binaries;
        private readonly string _root;
        private readonly bool _asPostgresUser;
        private int _destroyed;

        private LocalCluster(string binaries, string root, int port, bool asPostgresUser)
        {
            _binaries = binaries;
            _root = root;
            _asPostgresUser = asPostgresUser;
            ConnectionString = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = port,
                Username = "postgres",
                Database = "postgres",
                Timeout = 30,
            }.ConnectionString;
        }

        public string ConnectionString { get; }

        private string DataDirectory => Path.Combine(_root, "data");

        private string LogFile => Path.Combine(_root, "server.log");

        /// <summary>The folder holding initdb and pg_ctl: <c>pg_config --bindir</c>, else the newest /usr/lib/postgresql/*/bin.</summary>
        public static string? FindBinaries()
        {
            try
            {
                var bindir = Run("pg_config", ["--bindir"], asPostgresUser: false).Trim();
                if (HasServer(bindir))
                {
                    return bindir;
                }
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                // pg_config is not installed (it ships with libpq-dev); fall back to the Debian layout.
            }

            const string debianRoot = "/usr/lib/postgresql";
            if (!Directory.Exists(debianRoot))
            {
                return null;
            }

            return Directory.GetDirectories(debianRoot)
                .Select(dir => (Version: int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1, Bin: Path.Combine(dir, "bin")))
                .Where(candidate => candidate.Version >= 0 && HasServer(candidate.Bin))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Bin)
                .FirstOrDefault();
        }

        public static async Task<LocalCluster> StartAsync(string binaries, int port)
        {
            var root = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..32]);
            Directory.CreateDirectory(root);
            var asRoot = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
            if (asRoot)
            {
                Run("chown", [$"{SystemUser}:{SystemUser}", root], asPostgresUser: false);
            }

            var cluster = new LocalCluster(binaries, root, port, asRoot);
            try
            {
                await Task.Run(() => cluster.Initialize(port));
                await cluster.StartAsync();
                return cluster;
            }
            catch
            {
                cluster.Destroy();
                throw;
            }
        }

        /// <summary>Removes the clusters of test processes that died without cleaning up (their folder names carry their process id).</summary>
        public static void RemoveAbandoned()
        {
            var binaries = FindBinaries();
            foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
            {
                var name = Path.GetFileName(folder)[FolderPrefix.Length..];
                var dash = name.IndexOf('-', StringComparison.Ordinal);
                if (dash <= 0 || !int.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || IsAlive(pid))
                {
                    continue;
                }

                var asRoot = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
                new LocalCluster(binaries ?? "", folder, port: 5432, asRoot).Destroy();
            }
        }

        public Task StartAsync()
            => Task.Run(() => { _ = Run(Path.Combine(_binaries, "pg_ctl"), ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "start"], _asPostgresUser); });

        public Task StopAsync(string mode)
            => Task.Run(() => { _ = Run(Path.Combine(_binaries, "pg_ctl"), ["-D", DataDirectory, "-m", mode, "-w", "stop"], _asPostgresUser); });

        /// <summary>Stops the server at once and removes the folder; safe to call twice.</summary>
        public void Destroy()
        {
            if (Interlocked.Exchange(ref _destroyed, 1) != 0)
            {
                return;
            }

            try
            {
                if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
                {
                    Run(Path.Combine(_binaries, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], _asPostgresUser);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already stopped.
            }

            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A file still held open; the temporary folder is cleaned by the system later.
            }
        }

        private void Initialize(int port)
        {
            Run(
                Path.Combine(_binaries, "initdb"),
                ["-D", DataDirectory, "--auth=trust", "--username=postgres", "-E", "UTF8", "--no-locale", "--no-sync"],
                _asPostgresUser);
            var settings = string.Join(
                '\n',
                "",
                "# storage tests: loopback only, built for speed, not durability",
                "listen_addresses = '127.0.0.1'",
                $"port = {port}",
                $"unix_socket_directories = '{_root}'",
                "max_connections = 300",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "shared_buffers = 128MB",
                "");
            File.AppendAllText(Path.Combine(DataDirectory, "postgresql.conf"), settings);
        }

        private static bool IsAlive(int pid)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        private static bool HasServer(string bindir)
            => File.Exists(Path.Combine(bindir, "initdb")) && File.Exists(Path.Combine(bindir, "pg_ctl"));

        private static string Run(string file, IReadOnlyList<string> arguments, bool asPostgresUser)
        {
            var start = new ProcessStartInfo
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                WorkingDirectory = "/",
            };
            if (asPostgresUser)
            {
                start.FileName = "runuser";
                foreach (var prefix in new[] { "-u", SystemUser, "--", file })
                {
                    start.ArgumentList.Add(prefix);
                }
            }
            else
            {
                start.FileName = file;
            }

            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
            }

            return stdout.Result;
        }
    }
}

using Storage.Consistency.Tests.Support;

namespace Storage.Consistency.Tests;

/// <summary>
/// The tool's arguments, run in-process without a server: every mistake is exit code 2 and one line on standard error,
/// with no stack trace and no part of a password.
/// </summary>
public sealed class CheckerArgumentTests : IDisposable
{
    private const string Secret = "S3cr3t";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("Host=127.0.0.1;Password=S3cr3t")]
    [InlineData("Host=127.0.0.1;Password='S3cr3t;x'")]
    [InlineData("Host=127.0.0.1;Password=\"S3cr3t\"")]
    [InlineData("Host=127.0.0.1;PWD=S3cr3t")]
    [InlineData("Host=127.0.0.1; psw = S3cr3t ;Port=5432")]
    [InlineData("postgresql://app:S3cr3t@127.0.0.1:5432/app")]
    [InlineData("Host=127.0.0.1;Password=pa;S3cr3t")]            // an unquoted ';': the rest of the password looks like a key
    [InlineData("Host=127.0.0.1;Password=pa;S3cr3t;Port=5432")]
    [InlineData("Host=127.0.0.1;Password='S3cr3t\tx'")]                  // whitespace the one-line message folds
    [InlineData("Host=127.0.0.1;Password='S3cr3t  x'")]
    public async Task A_connection_string_the_parser_quotes_is_printed_without_its_password(string connectionString)
    {
        foreach (var args in new[]
        {
            new[] { "check", "--source", "s.jsonl", connectionString },
            ["check", "--source", "s.jsonl", "--taget", connectionString],
            ["export", connectionString, "--output", "x.jsonl"],
            ["migrate", connectionString],
        })
        {
            var result = await Cli.RunAsync(args);

            AssertRefused(result, "Unrecognized command or argument");
        }
    }

    [Theory]
    [InlineData("Host=db;Port=5433;Database=app", "postgres db:5433/app schema s")]
    [InlineData("Host=db;Username=app", "postgres db:5432/app schema s")]
    [InlineData("Host=a,b;Port=5432,5433;Database=app", "postgres a:5432,b:5433/app schema s")]
    [InlineData("Host=a:5432,b:5433;Database=app", "postgres a:5432,b:5433/app schema s")]
    [InlineData("Host=a,b;Port=6000;Database=app", "postgres a:6000,b:6000/app schema s")]
    [InlineData("Host=a,b;Port=1,2,3;Database=app", "postgres (unparsable connection string) schema s")]
    [InlineData("Host=::1;Database=app", "postgres [::1]:5432/app schema s")]
    [InlineData("Host=[::1]:6000;Database=app", "postgres [::1]:6000/app schema s")]
    [InlineData("Host=/var/run/postgresql;Database=app", "postgres /var/run/postgresql:5432/app schema s")]
    [InlineData("Host=a;Port=x;Password=S3cr3t", "postgres (unparsable connection string) schema s")]
    public void A_store_is_named_by_its_hosts_ports_database_and_schema_in_either_syntax_for_several_servers(string connectionString, string expected)
        => Assert.Equal(expected, ConsistencyChecker.Stores.PostgresStore.Describe(connectionString, "s"));

    [Fact]
    public async Task A_value_outside_a_list_is_refused_on_one_line_of_plain_spaces()
    {
        var snapshot = await Snapshot();

        var result = await Cli.RunAsync(["check", "--source", snapshot, "--target", snapshot, "--format", "xml"]);

        AssertRefused(result, "error: Argument 'xml' not recognized. Must be one of: 'table' 'json' (see --help)");
        Assert.DoesNotContain('\t', result.Error);
    }

    [Theory]
    [InlineData("--batch-size 10", "--batch-size goes with a repair: add --repair, or use the repair command")]
    [InlineData("--no-bulk-load --dry-run", "--dry-run, --no-bulk-load go with a repair: add --repair, or use the repair command")]
    [InlineData("--source-schema other", "--source-schema names a PostgreSQL schema, and --source is a snapshot file: leave the option out")]
    [InlineData("--target-schema storage", "--target-schema names a PostgreSQL schema, and --target is a snapshot file: leave the option out")]
    [InlineData("--target-schema storage --repair", "a repair writes to PostgreSQL: --target must be a connection string")]
    public async Task A_check_refuses_options_that_would_change_nothing(string options, string expected)
    {
        var snapshot = await Snapshot();

        var result = await Cli.RunAsync(["check", "--source", snapshot, "--target", snapshot, .. options.Split(' ')]);

        AssertRefused(result, expected);
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("check --bogus --also")]
    [InlineData("repair --source")]
    public async Task Several_parse_errors_are_one_line(string commandLine)
    {
        var result = await Cli.RunAsync(commandLine.Split(' '));

        AssertRefused(result, "; ");
    }

    [Theory]
    [InlineData("--recheck", "abc")]
    [InlineData("--recheck", "0.5")]
    [InlineData("--samples", "abc")]
    [InlineData("--batch-size", "x")]
    [InlineData("--batch-size", "99999999999999")]
    [InlineData("--recheck", "0x10")]
    public async Task A_number_option_that_is_not_a_whole_number_exits_2_saying_what_it_takes(string option, string value)
    {
        var snapshot = await Snapshot();

        var result = await Cli.RunAsync(["repair", "--source", snapshot, "--target", $"Host=127.0.0.1;Port=1;Password={Secret}", option, value]);

        AssertRefused(result, $"{option} takes a whole number of ");
        Assert.Contains($"not '{value}'", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--recheck", "-1", "--recheck must be 0..3600 seconds, not -1")]
    [InlineData("--batch-size", "0", "--batch-size must be 1..100000 records, not 0")]
    [InlineData("--samples", "100001", "--samples must be 0..100000 keys, not 100001")]
    public async Task A_number_option_out_of_its_range_exits_2_naming_the_range(string option, string value, string expected)
    {
        var snapshot = await Snapshot();

        var result = await Cli.RunAsync(["repair", "--source", snapshot, "--target", $"Host=127.0.0.1;Port=1;Password={Secret}", option, value]);

        AssertRefused(result, expected);
    }

    [Fact]
    public async Task A_number_option_without_its_value_exits_2_with_one_line()
    {
        var snapshot = await Snapshot();

        var result = await Cli.RunAsync(["repair", "--source", snapshot, "--batch-size", "--target", $"Host=127.0.0.1;Port=1;Password={Secret}"]);

        AssertRefused(result, "--batch-size");
    }

    [Theory]
    [InlineData("postgresql://operator7:S3cr3t@127.0.0.1:5432/app")]
    [InlineData("POSTGRES://operator7:S3cr3t@db/app?sslmode=require")]
    public async Task A_postgres_url_is_refused_without_printing_its_user_info(string url)
    {
        var snapshot = await Snapshot();
        foreach (var args in new[]
        {
            new[] { "check", "--source", snapshot, "--target", url },
            ["repair", "--source", url, "--target", "Host=127.0.0.1;Port=1"],
            ["export", "--source", url, "--output", _folder.File("x.jsonl")],
            ["migrate", "--target", url],
        })
        {
            var result = await Cli.RunAsync(args);

            AssertRefused(result, "is a URL, which is not supported: write the connection string as \"Host=...;Port=5432;Database=...;Username=...");
            Assert.DoesNotContain("operator7", result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_empty_store_or_output_is_refused_as_empty()
    {
        var snapshot = await Snapshot();
        foreach (var (args, expected) in new (string[], string)[]
        {
            (["check", "--source", "", "--target", snapshot], "--source must not be empty"),
            (["check", "--source", snapshot, "--target", " "], "--target must not be empty"),
            (["export", "--source", "", "--output", _folder.File("x.jsonl")], "--source must not be empty"),
            (["export", "--source", "Host=127.0.0.1;Port=1", "--output", ""], "--output must not be empty"),
            (["migrate", "--target", ""], "--target must not be empty"),
        })
        {
            var result = await Cli.RunAsync(args);

            AssertRefused(result, expected);
        }
    }

    [Fact]
    public async Task A_snapshot_path_holding_an_equals_sign_is_a_file()
    {
        Directory.CreateDirectory(_folder.File("part/date=2026-11-22"));
        var snapshot = await Snapshot("part/date=2026-11-22/snap.jsonl");

        var result = await Cli.RunAsync(["check", "--source", snapshot, "--target", snapshot]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"snapshot {snapshot}", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_string_that_does_not_parse_repeats_nothing_of_a_password_holding_a_semicolon()
    {
        var snapshot = await Snapshot();

        var result = await Cli.RunAsync(["check", "--source", snapshot, "--target", $"Host=127.0.0.1;Password={Secret};hunter2;Port=1"]);

        AssertRefused(result, "--target is not a valid PostgreSQL connection string");
        Assert.Contains("check each keyword's name and value, and quote a value holding ';', as in Password='a;b'", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_string_without_a_password_names_the_key_it_cannot_set()
    {
        var snapshot = await Snapshot();

        var result = await Cli.RunAsync(["check", "--source", snapshot, "--target", "Host=127.0.0.1;Prot=5432"]);

        AssertRefused(result, "--target is not a valid PostgreSQL connection string ('prot' is not a keyword Npgsql knows (Host, Port,");
    }

    [Theory]
    [InlineData("Host=;Port=5432", "--target is not a valid PostgreSQL connection string (Host is empty)")]
    [InlineData("part/date=2026-11-22/snap.jsonl", "--target names no existing snapshot file, and is not a valid PostgreSQL connection string either (")]
    public async Task A_connection_string_Npgsql_refuses_is_explained_without_its_parameter_names(string target, string expected)
    {
        var snapshot = await Snapshot();

        var result = await Cli.RunAsync(["check", "--source", snapshot, "--target", target]);

        AssertRefused(result, expected);
        Assert.DoesNotContain("(Parameter '", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("99999")]
    [InlineData("0")]
    public async Task A_port_out_of_range_exits_2_naming_the_port(string port)
    {
        var snapshot = await Snapshot();

        var result = await Cli.RunAsync(["check", "--source", snapshot, "--target", $"Host=127.0.0.1;Port={port};Password={Secret}"]);

        AssertRefused(result, $"--target has Port={port}, which is not a TCP port: give a port from 1 to 65535");
    }

    [Theory]
    [InlineData("Storage")]
    [InlineData("x\"; drop schema storage cascade; --")]
    [InlineData("pg_catalog")]
    public async Task A_bad_schema_name_says_what_a_usable_name_is(string schema)
    {
        var snapshot = await Snapshot();

        var result = await Cli.RunAsync(["check", "--source", snapshot, "--target", $"Host=127.0.0.1;Port=1;Password={Secret}", "--target-schema", schema]);

        AssertRefused(result, $"--target-schema \"{schema}\" is not a usable schema name: The schema name must ");
        Assert.Contains("Give a name such as \"storage\" (the default)", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Host=...", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check --format table")]
    [InlineData("check --format json")]
    [InlineData("--help")]
    public async Task A_standard_output_that_cannot_be_written_is_named(string commandLine)
    {
        var snapshot = await Snapshot();
        var args = commandLine.Split(' ');
        args = args[0] == "check" ? [.. args, "--source", snapshot, "--target", snapshot] : args;

        var result = await Cli.RunAsync(args, new ConsistencyChecker.StandardOutputWriter(new FullWriter()));

        AssertRefused(result, "error: cannot write to standard output (No space left on device): check where it is redirected");
    }

    [Theory]
    [InlineData("same", 0)]
    [InlineData("missing", 2)]
    public async Task A_standard_error_that_cannot_be_written_loses_the_messages_but_not_the_exit_code(string target, int expected)
    {
        var snapshot = await Snapshot();
        string[] args = ["check", "--source", snapshot, "--target", target == "same" ? snapshot : _folder.File("missing.jsonl")];
        var output = new StringWriter();
        var console = new ConsistencyChecker.CliConsole(output, ConsistencyChecker.StandardOutputWriter.ForStandardError(new FullWriter()), IsInteractive: false);

        var code = await ConsistencyChecker.CheckerCommandLine.RunAsync(args, console, CancellationToken.None);

        Assert.Equal(expected, code);
        Assert.Equal(expected == 0, output.ToString().Contains("total", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_closed_standard_output_is_named_as_standard_output()
    {
        var snapshot = await Snapshot();

        var result = await Cli.RunAsync(["check", "--source", snapshot, "--target", snapshot], new ConsistencyChecker.StandardOutputWriter(new ClosedWriter()));

        AssertRefused(result, "error: cannot write to standard output (Access to the path is denied.)");
    }

    /// <summary>Exit code 2, one line on standard error starting with <c>error: </c> and holding <paramref name="expected"/>; no trace, no secret, nothing on standard output.</summary>
    private static void AssertRefused(CliResult result, string expected)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    private async Task<string> Snapshot(string name = "s.jsonl")
        => await SnapshotFiles.WriteAsync(new DataGen(71).NewDataSet(2), _folder.File(name));

    /// <summary>A writer on a closed descriptor (EBADF, which .NET reports as access denied).</summary>
    private sealed class ClosedWriter : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => throw new UnauthorizedAccessException("Access to the path is denied.");
    }

    /// <summary>A writer on a full disk.</summary>
    private sealed class FullWriter : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => throw new IOException("No space left on device");
    }
}

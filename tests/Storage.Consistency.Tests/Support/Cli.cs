using System.Diagnostics;
using System.Text.Json;
using ConsistencyChecker;

namespace Storage.Consistency.Tests.Support;

/// <summary>What a run of the tool produced.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Out);
        return document.RootElement.Clone();
    }

    /// <summary>Standard error's lines, without empty ones.</summary>
    public IReadOnlyList<string> ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Error}";
}

/// <summary>Runs the tool in-process (parse and invoke, as Program.Main does) or as a process (<c>dotnet ConsistencyChecker.dll</c>).</summary>
public static class Cli
{
    public static async Task<CliResult> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        using var output = new StringWriter();
        return await RunAsync(args, output, cancellationToken);
    }

    /// <summary>Runs the tool with standard output going to <paramref name="output"/>.</summary>
    public static async Task<CliResult> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        using var error = new StringWriter();
        var code = await CheckerCommandLine.RunAsync(args, new CliConsole(output, error, IsInteractive: false), cancellationToken);
        return new CliResult(code, output is StringWriter written ? written.ToString() : "", error.ToString());
    }

    /// <summary>The tool's built assembly, copied beside the tests with its runtime configuration.</summary>
    public static string AssemblyPath => typeof(CheckerCommandLine).Assembly.Location;

    public static Process Start(params string[] args) => StartIn(workingDirectory: null, args);

    /// <summary>Starts the tool in <paramref name="workingDirectory"/> (null: this process's).</summary>
    public static Process StartIn(string? workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        start.ArgumentList.Add(AssemblyPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    public static async Task<CliResult> RunProcessAsync(params string[] args)
    {
        using var process = Start(args);
        return await WaitAsync(process, TimeSpan.FromMinutes(2));
    }

    public static async Task<CliResult> RunProcessInAsync(string workingDirectory, params string[] args)
    {
        using var process = StartIn(workingDirectory, args);
        return await WaitAsync(process, TimeSpan.FromMinutes(2));
    }

    public static async Task<CliResult> WaitAsync(Process process, TimeSpan timeout)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }
}

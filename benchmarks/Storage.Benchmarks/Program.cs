using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Storage.Benchmarks;

// Usage (Release build):
//   dotnet run -c Release --project benchmarks/Storage.Benchmarks -- postgres [--seconds 10] [--projects 100000] [--tasks 1000000]
//   dotnet run -c Release --project benchmarks/Storage.Benchmarks -- dualwrite [--seconds 10]
//   dotnet run -c Release --project benchmarks/Storage.Benchmarks -- decorator [--long]
//   dotnet run -c Release --project benchmarks/Storage.Benchmarks -- checker [--projects 1000000] [--small-projects 100000] [--runs 2]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args is ["decorator"] or ["decorator", "--long"])
{
    // ShortRun (3 iterations) by default; --long measures 30 iterations after 10 warm-ups, for ratios near a bound.
    var job = args.Length == 2 ? Job.Default.WithWarmupCount(10).WithIterationCount(30) : Job.ShortRun;
    var config = DefaultConfig.Instance.AddJob(job.WithToolchain(InProcessEmitToolchain.Instance));
    BenchmarkRunner.Run<DecoratorReadBenchmarks>(config);
    return 0;
}

if (args is ["checker", ..])
{
    var checker = CheckerSettings.Parse(args);
    if (checker is null)
    {
        Console.Error.WriteLine("usage: Storage.Benchmarks " + CheckerSettings.Usage);
        return 2;
    }

    await CheckerBenchmarks.RunAsync(checker, Console.Out);
    return 0;
}

var settings = BenchmarkSettings.Parse(args);
if (settings is null)
{
    Console.Error.WriteLine("usage: Storage.Benchmarks postgres|dualwrite [--seconds N] [--projects N] [--tasks N] | decorator | " + CheckerSettings.Usage);
    return 2;
}

if (args[0] == "dualwrite")
{
    await DualWriteBenchmarks.RunAsync(settings, Console.Out);
}
else
{
    await PostgresBenchmarks.RunAsync(settings, Console.Out);
}

return 0;

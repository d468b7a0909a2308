using System.Globalization;
using Storage.Benchmarks;

// Usage: dotnet run -c Release --project benchmarks/Storage.Benchmarks -- postgres [--seconds 10] [--projects 100000] [--tasks 1000000] [--import 1000000]
var settings = BenchmarkSettings.Parse(args);
if (settings is null)
{
    Console.Error.WriteLine("usage: Storage.Benchmarks postgres [--seconds N] [--projects N] [--tasks N] [--import N]");
    return 2;
}

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
await PostgresBenchmarks.RunAsync(settings, Console.Out);
return 0;

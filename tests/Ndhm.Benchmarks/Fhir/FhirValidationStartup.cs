using System.Diagnostics;
using System.Globalization;
using System.Reflection.PortableExecutable;
using System.Runtime;
using Ndhm.Fhir.Validation;

namespace Ndhm.Benchmarks.Fhir;

/// <summary>
/// <c>fhir-validation [cold-runs] [warm-iterations]</c>: the validator's cold start (fresh processes, one per run:
/// construct + <c>WarmUpAsync</c>, then the first validation of each official example) and its warm parse +
/// validate per official example (p50 / p90 after the tiered JIT has settled), for the compact definitions and
/// for the full specification, printed side by side with ratios. Run:
/// <c>dotnet run -c Release --project tests/Ndhm.Benchmarks -- fhir-validation</c>.
/// </summary>
public static class FhirValidationStartup
{
    private static readonly string[] Examples = [FhirBenchmarkData.Prescription, FhirBenchmarkData.OPConsult, FhirBenchmarkData.DiagnosticReport];
    private static readonly FhirDefinitions[] Modes = [FhirDefinitions.FullSpecification, FhirDefinitions.Compact];

    public static async Task<int> RunAsync(string[] args)
    {
        var coldRuns = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
        Console.WriteLine($"FHIR validation start-up and warm figures ({Environment.ProcessorCount} cores, load average {LoadAverage()}, .NET {Environment.Version})");
        Console.WriteLine($"ReadyToRun (precompiled) images: Ndhm.Fhir {IsReadyToRun(typeof(AbdmFhirValidator))}, Hl7.Fhir.R4 {IsReadyToRun(typeof(Hl7.Fhir.Model.Bundle))}, " +
                          $"Firely.Fhir.Validation {IsReadyToRun(typeof(Firely.Fhir.Validation.Validator))}");

        var cold = new Dictionary<FhirDefinitions, List<ColdRun>>();
        foreach (var mode in Modes)
        {
            cold[mode] = [];
            for (var i = 0; i < coldRuns; i++)
            {
                cold[mode].Add(await RunChildAsync(mode));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Cold start, median of {coldRuns} fresh processes (validator construct + WarmUpAsync; process = runtime start to warm):");
        Console.WriteLine($"{"definitions",-18} {"warm-up wall",13} {"warm-up CPU",12} {"of it JIT",10} {"process wall",13} {"process CPU",12}  first validation after warm-up (wall ms) {string.Join(" / ", Examples)}");
        foreach (var mode in Modes)
        {
            var runs = cold[mode];
            Console.WriteLine($"{mode,-18} {Median(runs, r => r.WarmUpWallMs),10:F0} ms {Median(runs, r => r.WarmUpCpuMs),9:F0} ms {Median(runs, r => r.WarmUpJitMs),7:F0} ms {Median(runs, r => r.ProcessWallMs),10:F0} ms {Median(runs, r => r.ProcessCpuMs),9:F0} ms  " +
                              string.Join(" / ", Enumerable.Range(0, Examples.Length).Select(i => Median(runs, r => r.FirstMs[i]).ToString("F0", CultureInfo.InvariantCulture))));
        }

        var full = cold[FhirDefinitions.FullSpecification];
        var compact = cold[FhirDefinitions.Compact];
        Console.WriteLine($"ratio compact/full: warm-up wall {Median(compact, r => r.WarmUpWallMs) / Median(full, r => r.WarmUpWallMs):F2}, warm-up CPU {Median(compact, r => r.WarmUpCpuMs) / Median(full, r => r.WarmUpCpuMs):F2}");

        Console.WriteLine();
        Console.WriteLine($"Warm parse + validate (ValidateJsonAsync), {iterations} calls per example after {iterations / 2} unmeasured:");
        Console.WriteLine($"{"definitions",-18} {"example",-24} {"p50 wall",9} {"p90 wall",9} {"p50 CPU",8}");
        var p50 = new Dictionary<(FhirDefinitions, string), double>();
        foreach (var mode in Modes)
        {
            using var validator = new AbdmFhirValidator(new AbdmFhirValidatorOptions { Definitions = mode });
            await validator.WarmUpAsync();
            foreach (var example in Examples)
            {
                var json = FhirBenchmarkData.ReadExample(example);
                for (var i = 0; i < iterations / 2; i++)
                {
                    await validator.ValidateJsonAsync(json);
                }

                var wall = new List<double>();
                var cpu = new List<double>();
                for (var i = 0; i < iterations; i++)
                {
                    var cpu0 = Environment.CpuUsage.TotalTime;
                    var clock = Stopwatch.StartNew();
                    var result = await validator.ValidateJsonAsync(json);
                    wall.Add(clock.Elapsed.TotalMilliseconds);
                    cpu.Add((Environment.CpuUsage.TotalTime - cpu0).TotalMilliseconds);
                    if (!result.IsValid)
                    {
                        throw new InvalidOperationException($"{example} does not validate with {mode}");
                    }
                }

                p50[(mode, example)] = Percentile(wall, 50);
                Console.WriteLine($"{mode,-18} {example,-24} {Percentile(wall, 50),6:F1} ms {Percentile(wall, 90),6:F1} ms {Percentile(cpu, 50),5:F1} ms");
            }

            if (mode == FhirDefinitions.Compact)
            {
                Console.WriteLine($"compact definitions: {validator.FullSpecificationFallbacks} lookups fell back to the full specification");
            }
        }

        Console.WriteLine("ratio compact/full warm p50: " + string.Join(", ", Examples.Select(e =>
            $"{e} {p50[(FhirDefinitions.Compact, e)] / p50[(FhirDefinitions.FullSpecification, e)]:F2}")));
        Console.WriteLine($"load average at the end: {LoadAverage()}");
        return 0;
    }

    /// <summary>The child: one cold start in a fresh process, printed as one line for the parent.</summary>
    public static async Task<int> ColdChildAsync(string[] args)
    {
        var mode = Enum.Parse<FhirDefinitions>(args[0]);
        var cpu0 = Environment.CpuUsage.TotalTime;
        var jit0 = JitInfo.GetCompilationTime();
        var clock = Stopwatch.StartNew();
        using var validator = new AbdmFhirValidator(new AbdmFhirValidatorOptions { Definitions = mode });
        await validator.WarmUpAsync();
        var warmUpWall = clock.Elapsed.TotalMilliseconds;
        var warmUpCpu = (Environment.CpuUsage.TotalTime - cpu0).TotalMilliseconds;
        var warmUpJit = (JitInfo.GetCompilationTime() - jit0).TotalMilliseconds;
        using var self = Process.GetCurrentProcess();
        var processWall = (DateTime.Now - self.StartTime).TotalMilliseconds;
        var processCpu = Environment.CpuUsage.TotalTime.TotalMilliseconds;
        var first = new List<double>();
        foreach (var example in Examples)
        {
            var json = FhirBenchmarkData.ReadExample(example);
            var c = Stopwatch.StartNew();
            await validator.ValidateJsonAsync(json);
            first.Add(c.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine(string.Join(' ', new[] { warmUpWall, warmUpCpu, processWall, processCpu, warmUpJit }.Concat(first)
            .Select(v => v.ToString("F1", CultureInfo.InvariantCulture))));
        return 0;
    }

    private static async Task<ColdRun> RunChildAsync(FhirDefinitions mode)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(FhirValidationStartup).Assembly.Location);
        }

        start.ArgumentList.Add("fhir-validation-cold");
        start.ArgumentList.Add(mode.ToString());
        using var child = Process.Start(start)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        var last = output.Trim().Split('\n')[^1];
        var v = last.Split(' ').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        Console.WriteLine($"  cold {mode}: warm-up {v[0]:F0} ms wall, {v[1]:F0} ms CPU (JIT {v[4]:F0} ms); process {v[2]:F0} ms wall, {v[3]:F0} ms CPU");
        return new ColdRun(v[0], v[1], v[2], v[3], v[4], v[5..]);
    }

    private static double Median(List<ColdRun> runs, Func<ColdRun, double> pick) => Percentile(runs.Select(pick).ToList(), 50);

    private static double Percentile(List<double> values, int p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    // A ReadyToRun image carries native code in a "managed native header"; an IL-only assembly has none.
    private static string IsReadyToRun(Type type)
    {
        using var pe = new PEReader(File.OpenRead(type.Assembly.Location));
        return pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0 ? "yes" : "no";
    }

    private sealed record ColdRun(double WarmUpWallMs, double WarmUpCpuMs, double ProcessWallMs, double ProcessCpuMs, double WarmUpJitMs, double[] FirstMs);
}

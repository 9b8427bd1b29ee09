using BenchmarkDotNet.Running;
using Ndhm.Benchmarks.HealthId;

// `healthid-load` is a load run against a running sandbox host (figures printed, not BenchmarkDotNet); anything
// else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "healthid-load")
{
    return await HealthIdLoad.RunAsync(args[1..]);
}

// `gateway-load` is an end-to-end load run against a running host, not a BenchmarkDotNet benchmark.
if (args.Length > 0 && args[0] == "gateway-load")
{
    return await Ndhm.Benchmarks.Gateway.CallbackLoad.RunAsync(args[1..]);
}

// `privacy` prints envelope encryption's cost per operation (warm and cold key cache) next to plaintext, with ratios.
if (args.Length > 0 && args[0] == "privacy")
{
    return await Ndhm.Benchmarks.Privacy.PrivacyBench.RunAsync(args[1..]);
}

// `audit-load` compares an operation with and without its audit append, against the sandbox's Cosmos emulator.
if (args.Length > 0 && args[0] == "audit-load")
{
    return await Ndhm.Benchmarks.Audit.AuditLoad.RunAsync(args[1..]);
}

// `ratelimit-load` measures abuse-limit checks against a Cosmos endpoint (figures printed), next to no limiter.
if (args.Length > 0 && args[0] == "ratelimit-load")
{
    return await Ndhm.Benchmarks.RateLimits.RateLimitLoad.RunAsync(args[1..]);
}

// `pharmacy-load` drives pharmacy orders through the queue from PLACED to DELIVERED on a running sandbox host.
if (args.Length > 0 && args[0] == "pharmacy-load")
{
    return await Ndhm.Benchmarks.Pharmacy.PharmacyOrderLoad.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

using BenchmarkDotNet.Running;
using Ndhm.Benchmarks.HealthId;

// `healthid-load` is a load run against a running sandbox host (figures printed, not BenchmarkDotNet); anything
// else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "healthid-load")
{
    return await HealthIdLoad.RunAsync(args[1..]);
}

// `capacity-ru` prints the Cosmos requests and request units per platform operation (infra/README.md, capacity model).
if (args.Length > 0 && args[0] == "capacity-ru")
{
    return await Ndhm.Benchmarks.Capacity.RequestUnitsPerOperation.RunAsync(args[1..]);
}

// `analytics-load` seeds the sandbox with synthetic analytics events and prints update cost per event and query p50/p99.
if (args.Length > 0 && args[0] == "analytics-load")
{
    return await Ndhm.Benchmarks.Analytics.AnalyticsLoad.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "analytics-demo-facts")
{
    return await Ndhm.Benchmarks.Analytics.AnalyticsLoad.DemoFactsAsync();
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

// `phr` prints what the health record's upload checks (sniffing, content scan, digest, encryption) cost next to a plain copy.
if (args.Length > 0 && args[0] == "phr")
{
    return await Ndhm.Benchmarks.Phr.PhrUploadBench.RunAsync(args[1..]);
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

// `fidelius-paths` prints Fidelius over spans and over strings (the data-push path) next to raw AES-GCM, with ratios.
if (args.Length > 0 && args[0] == "fidelius-paths")
{
    return await Ndhm.Benchmarks.Fidelius.FideliusStringPathBench.RunAsync(args[1..]);
}

// `fhir-validation` prints the FHIR validator's cold start (fresh processes) and warm p50, compact vs full definitions.
if (args.Length > 0 && args[0] == "fhir-validation")
{
    return await Ndhm.Benchmarks.Fhir.FhirValidationStartup.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "fhir-validation-cold")
{
    return await Ndhm.Benchmarks.Fhir.FhirValidationStartup.ColdChildAsync(args[1..]);
}

// `booking-load` measures teleconsultation bookings per second against a running host, free and popular slots.
if (args.Length > 0 && args[0] == "booking-load")
{
    return await Ndhm.Benchmarks.Telemedicine.BookingLoad.RunAsync(args[1..]);
}

// `consent-load` runs consent requests (created, granted, notified) and profile shares against a running sandbox with
// the sample partners, and prints their rates, latencies and the callback hop alone.
if (args.Length > 0 && args[0] == "consent-load")
{
    return await Ndhm.Benchmarks.Consent.ConsentLoad.RunAsync(args[1..]);
}

// `transfer` runs the data-transfer partner library (HIP send -> HIU receive) for 1 and 10 care contexts, with floors.
if (args.Length > 0 && args[0] == "transfer")
{
    return await Ndhm.Benchmarks.DataTransfer.TransferBench.RunAsync(args[1..]);
}

// `transfer-e2e` runs data transfers (1 and 10 care contexts) through a running sandbox with the sample partners, next
// to a bare Durable orchestration (the floor) in the same run (local-emulators/load.sh transfer-e2e runs it).
if (args.Length > 0 && args[0] == "transfer-e2e")
{
    return await Ndhm.Benchmarks.DataTransfer.TransferEndToEnd.RunAsync(args[1..]);
}

// `mixed-load` is the bounded mixed load run of every flow at a steady rate (local-emulators/load.sh runs it).
if (args.Length > 0 && args[0] == "mixed-load")
{
    return await Ndhm.Benchmarks.Load.MixedLoad.RunAsync(args[1..]);
}

// `pharmacy-load` drives pharmacy orders through the queue from PLACED to DELIVERED on a running sandbox host.
if (args.Length > 0 && args[0] == "pharmacy-load")
{
    return await Ndhm.Benchmarks.Pharmacy.PharmacyOrderLoad.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

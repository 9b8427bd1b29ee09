using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Hl7.Fhir.Model;
using Ndhm.Fhir;
using Ndhm.Fhir.Validation;

namespace Ndhm.Benchmarks.Fhir;

/// <summary>
/// Per official example: parse, parse + validate (warm validator), serialize, and build + serialize an
/// equivalent document. Run: <c>dotnet run -c Release --project tests/Ndhm.Benchmarks -- --filter *Fhir* --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class FhirDocumentBenchmarks
{
    private string _json = "";
    private Bundle _parsed = null!;
    private AbdmFhirValidator _validator = null!;

    [Params(FhirBenchmarkData.Prescription, FhirBenchmarkData.OPConsult, FhirBenchmarkData.DiagnosticReport)]
    public string Example { get; set; } = FhirBenchmarkData.Prescription;

    [GlobalSetup]
    public void Setup()
    {
        _json = FhirBenchmarkData.ReadExample(Example);
        _parsed = FhirJson.ParseBundle(_json);
        _validator = new AbdmFhirValidator(new AbdmFhirValidatorOptions());
        _validator.WarmUpAsync().GetAwaiter().GetResult();
        // Compile this example's profiles too, so the measured calls are warm.
        _validator.ValidateAsync(_parsed).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _validator.Dispose();

    [Benchmark]
    public Bundle Parse() => FhirJson.ParseBundle(_json);

    [Benchmark]
    public bool ParseAndValidate() => _validator.ValidateJsonAsync(_json).GetAwaiter().GetResult().IsValid;

    [Benchmark]
    public string Serialize() => FhirJson.Serialize(_parsed);

    [Benchmark]
    public string BuildAndSerialize() => FhirJson.Serialize(FhirBenchmarkData.Build(Example));
}

/// <summary>
/// Cold validation: a new validator (core definitions scanned from the unpacked cache, IG schemas compiled)
/// and its first validation, one per process launch.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.ColdStart, launchCount: 3, warmupCount: 0, iterationCount: 1)]
public class FhirColdValidationBenchmarks
{
    private string _json = "";

    [GlobalSetup]
    public void Setup() => _json = FhirBenchmarkData.ReadExample(FhirBenchmarkData.Prescription);

    [Benchmark]
    public bool FirstValidation()
    {
        using var validator = new AbdmFhirValidator(new AbdmFhirValidatorOptions());
        return validator.ValidateJsonAsync(_json).GetAwaiter().GetResult().IsValid;
    }
}

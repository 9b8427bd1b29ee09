using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Hl7.Fhir.Model;
using Ndhm.Fhir;
using Ndhm.Fhir.Validation;

namespace Ndhm.Benchmarks.Fhir;

/// <summary>
/// Short in-process runs. In process, because on a busy shared machine BenchmarkDotNet's generated project does
/// not build within its 2-minute limit, and because the warm validator is shared by every case of a run (it costs
/// seconds to warm; warming it per case would dominate the run). The timeout covers that warm-up.
/// </summary>
public sealed class FhirBenchmarkConfig : ManualConfig
{
    public FhirBenchmarkConfig() =>
        AddJob(Job.ShortRun.WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(20), logOutput: false)));
}

/// <summary>
/// Per official example: parse, serialize, and build + serialize an equivalent document with the builder.
/// Run: <c>dotnet run -c Release --project tests/Ndhm.Benchmarks -- --filter '*Fhir*'</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(FhirBenchmarkConfig))]
public class FhirDocumentBenchmarks
{
    private string _json = "";
    private Bundle _parsed = null!;

    [Params(FhirBenchmarkData.Prescription, FhirBenchmarkData.OPConsult, FhirBenchmarkData.DiagnosticReport)]
    public string Example { get; set; } = FhirBenchmarkData.Prescription;

    [GlobalSetup]
    public void Setup()
    {
        _json = FhirBenchmarkData.ReadExample(Example);
        _parsed = FhirJson.ParseBundle(_json);
    }

    [Benchmark]
    public Bundle Parse() => FhirJson.ParseBundle(_json);

    [Benchmark]
    public string Serialize() => FhirJson.Serialize(_parsed);

    [Benchmark]
    public string BuildAndSerialize() => FhirJson.Serialize(FhirBenchmarkData.Build(Example));
}

/// <summary>Per official example: parse + validate (IG profiles and document rules) on a warm validator.</summary>
[MemoryDiagnoser]
[Config(typeof(FhirBenchmarkConfig))]
public class FhirValidationBenchmarks
{
    // One validator for all cases of the run (in process): warmed once, as a Functions worker would.
    private static readonly Lazy<AbdmFhirValidator> s_validator = new(() =>
    {
        var validator = new AbdmFhirValidator(new AbdmFhirValidatorOptions());
        validator.WarmUpAsync().GetAwaiter().GetResult();
        return validator;
    });

    private string _json = "";

    [Params(FhirBenchmarkData.Prescription, FhirBenchmarkData.OPConsult, FhirBenchmarkData.DiagnosticReport)]
    public string Example { get; set; } = FhirBenchmarkData.Prescription;

    [GlobalSetup]
    public void Setup()
    {
        _json = FhirBenchmarkData.ReadExample(Example);
        // Compile this example's profiles too, so the measured calls are warm.
        if (!s_validator.Value.ValidateJsonAsync(_json).GetAwaiter().GetResult().IsValid)
        {
            throw new InvalidOperationException($"{Example} does not validate");
        }
    }

    [Benchmark]
    public bool ParseAndValidate() => s_validator.Value.ValidateJsonAsync(_json).GetAwaiter().GetResult().IsValid;
}

using Hl7.Fhir.Model;
using Ndhm.Cli.Commands;

namespace Ndhm.Fhir.Tests;

[Collection(ValidatorCollection.Name)]
public sealed class FhirCommandTests(ValidatorFixture fixture) : IDisposable
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private readonly List<string> _temp = [];

    private int Run(params string[] args) => FhirCommand.Run(args, _out, _err);

    private string TempFile(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ndhm-fhir-test-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, content);
        _temp.Add(path);
        return path;
    }

    public void Dispose()
    {
        foreach (var path in _temp)
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void GivenAValidExample_WhenValidated_ThenExitZeroAndSaysValid()
    {
        _ = fixture;
        var code = Run("validate", TestPaths.Example(TestPaths.DiagnosticReportLab));

        Assert.Equal(0, code);
        Assert.Contains(": valid (", _out.ToString());
        Assert.Equal("", _err.ToString());
    }

    [Fact]
    public void GivenADocumentWithoutSubject_WhenValidated_ThenExitOneWithTheErrorListed()
    {
        var bundle = FhirJson.ParseBundle(File.ReadAllText(TestPaths.Example(TestPaths.Prescription)));
        ((Composition)bundle.Entry[0].Resource).Subject = null!;

        var code = Run("validate", TempFile(FhirJson.Serialize(bundle)));

        Assert.Equal(1, code);
        var text = _out.ToString();
        Assert.Contains("error [abdm-composition-subject] Bundle.entry[0].resource.subject", text);
        Assert.Contains("INVALID (", text);
    }

    [Fact]
    public void GivenOutcomeOption_WhenValidated_ThenPrintsAnOperationOutcome()
    {
        var code = Run("validate", TestPaths.Example(TestPaths.Prescription), "--outcome");

        Assert.Equal(0, code);
        Assert.IsType<OperationOutcome>(FhirJson.ParseResource(_out.ToString()));
    }

    [Fact]
    public void GivenNotJson_WhenValidated_ThenExitOne()
    {
        Assert.Equal(1, Run("validate", TempFile("this is not json")));
        Assert.Contains("fatal", _out.ToString());
    }

    [Theory]
    [InlineData]
    [InlineData("validate")]
    [InlineData("validate", "a.json", "b.json")]
    [InlineData("validate", "a.json", "--strict")]
    [InlineData("check", "a.json")]
    public void GivenBadArguments_WhenRun_ThenExitTwoWithUsageOnStderr(params string[] args)
    {
        Assert.Equal(2, Run(args));
        Assert.NotEqual("", _err.ToString());
    }

    [Fact]
    public void GivenAMissingFile_WhenValidated_ThenExitTwo()
    {
        Assert.Equal(2, Run("validate", Path.Combine(Path.GetTempPath(), "no-such-bundle-" + Guid.NewGuid() + ".json")));
        Assert.Contains("cannot read", _err.ToString());
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("validate", "--help")]
    public void GivenHelp_WhenRun_ThenExitZeroWithUsage(params string[] args)
    {
        Assert.Equal(0, Run(args));
        Assert.Contains("usage: ndhm fhir validate", _out.ToString());
    }
}

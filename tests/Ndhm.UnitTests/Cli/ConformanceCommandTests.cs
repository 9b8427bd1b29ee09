using System.Text.RegularExpressions;
using Ndhm.Cli.Commands;

namespace Ndhm.UnitTests.Cli;

/// <summary><c>ndhm conformance</c>'s arguments: a role it knows, the partner's credentials; anything else is a usage error (exit 2).</summary>
public sealed class ConformanceCommandTests
{
    [Theory]
    [InlineData("--role", "phr", "--client-id", "a", "--client-secret", "b")]
    [InlineData("--client-id", "a", "--client-secret", "b")]
    public void GivenNoRoleItKnows_WhenRun_ThenAUsageErrorNamesBothRoles(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var exit = ConformanceCommand.Run(args, stdout, stderr);

        Assert.Equal(2, exit);
        Assert.Contains("--role hip or --role hiu is required", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void GivenRoleHiuWithoutASecret_WhenRun_ThenAUsageError()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var exit = ConformanceCommand.Run(["--role", "hiu", "--client-id", "a", "--desk-url", "http://127.0.0.1:7072/clinic"], stdout, stderr);

        Assert.Equal(2, exit);
        Assert.Contains("--client-id and --client-secret are required", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void GivenHelp_WhenRun_ThenTheUsageShowsTheHiuCasesAndTheDesk()
    {
        var stdout = new StringWriter();

        var exit = ConformanceCommand.Run(["--help"], stdout, TextWriter.Null);

        Assert.Equal(0, exit);
        Assert.Contains("--desk-url", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("HIU_FLOW_106", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void GivenHelp_WhenRun_ThenTheUsageShowsTheHipInitiatedLinkingCasesAndTheHipsDesk()
    {
        var stdout = new StringWriter();

        var exit = ConformanceCommand.Run(["--help"], stdout, TextWriter.Null);

        Assert.Equal(0, exit);
        var words = Regex.Replace(stdout.ToString(), @"\s+", " "); // the usage wraps its lines
        Assert.Contains("HIP_INTI_LINK_201, HIP_INTI_LINK_401, HIP_INTI_LINK_404, KIT_DIRECT_AUTH_DENIED, HIP_INTI_LINK_501, KIT_DEMOGRAPHICS_MISMATCH", words, StringComparison.Ordinal);
        Assert.Contains("<url>/care-context-links", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("<url>/care-context-links/{id}/otp {otp}", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("authMode: DIRECT | MOBILE_OTP | DEMOGRAPHICS, demographic: {name, gender, dateOfBirth}", words, StringComparison.Ordinal);
    }
}

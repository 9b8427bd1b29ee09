using Ndhm.Cli.Commands;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Kyc;
using Ndhm.HealthId.Numbers;

namespace Ndhm.UnitTests.HealthId;

public class SimulatedKycTests
{
    [Fact]
    public void DefaultIdentities_AreAllValidAndDistinct()
    {
        Assert.InRange(SandboxKycIdentities.Default.Count, 5, 10);
        foreach (var identity in SandboxKycIdentities.Default)
        {
            AadhaarNumber.Parse(identity.AadhaarNumber);
            identity.ToRecord();
        }
        Assert.Equal(SandboxKycIdentities.Default.Count, SandboxKycIdentities.Default.Select(i => i.AadhaarNumber).Distinct().Count());
        Assert.Equal(SandboxKycIdentities.Default.Count, SandboxKycIdentities.Default.Select(i => i.Mobile).Distinct().Count());
    }

    [Fact]
    public async Task Provider_FindsADocumentedIdentityByAadhaarAndNotAnUnknownOne()
    {
        var provider = new SimulatedKycProvider();
        var asha = await provider.FindAsync(AadhaarNumber.Parse("9999 0000 0016"), CancellationToken.None);
        var nobody = await provider.FindAsync(AadhaarNumber.Parse("234123412346"), CancellationToken.None);

        Assert.Equal("Asha Verma", asha!.Name.FullName);
        Assert.Equal("9000000001", asha.Mobile.Digits);
        Assert.Null(nobody);
    }

    [Fact]
    public async Task Provider_IsExtendedByConfiguredIdentities()
    {
        var provider = new SimulatedKycProvider([new KycTestIdentity
        {
            AadhaarNumber = "234123412346", FirstName = "Test", LastName = "Person", Gender = "U",
            BirthDate = "2000-01-01", PinCode = "110001", Mobile = "+91 70000 00000",
        }]);

        var found = await provider.FindAsync(AadhaarNumber.Parse("234123412346"), CancellationToken.None);

        Assert.Equal("Test Person", found!.Name.FullName);
        Assert.Equal(SandboxKycIdentities.Default.Count + 1, provider.All.Count);
    }
}

public class AbhaCommandTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = AbhaCommand.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("91-6285-4575-5116")]
    [InlineData("91628545755116")]
    public void Check_AValidNumber_ExitsZero(string number)
    {
        var (exit, output, _) = Run("check", number);
        Assert.Equal(0, exit);
        Assert.Contains("91-6285-4575-5116: valid", output);
    }

    [Fact]
    public void Check_AWrongCheckDigit_ExitsOneWithTheReason()
    {
        var (exit, output, _) = Run("check", "91-6285-4575-5117");
        Assert.Equal(1, exit);
        Assert.Contains("ABHA_CHECKSUM", output);
    }

    [Fact]
    public void Check_AMalformedNumber_ExitsOneWithTheReason()
    {
        var (exit, output, _) = Run("check", "8162854575511");
        Assert.Equal(1, exit);
        Assert.Contains("ABHA_NUMBER_INVALID", output);
        Assert.Contains("has 13", output);
    }

    [Theory]
    [InlineData]
    [InlineData("check")]
    [InlineData("check", "91628545755116", "extra")]
    [InlineData("check", "--verbose")]
    [InlineData("frobnicate")]
    [InlineData("generate", "--count")]
    public void UsageErrors_ExitTwoOnStderr(params string[] args)
    {
        var (exit, output, error) = Run(args);
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("check", "--help")]
    public void Help_ExitsZeroWithUsage(params string[] args)
    {
        var (exit, output, _) = Run(args);
        Assert.Equal(0, exit);
        Assert.Contains("ndhm abha check <number>", output);
    }

    [Fact]
    public void Generate_PrintsOneValidNumberThatCheckAccepts()
    {
        var (exit, output, _) = Run("generate");
        Assert.Equal(0, exit);
        var number = AbhaNumber.Parse(output.Trim());
        Assert.Equal(output.Trim(), number.Formatted);
        Assert.Equal(0, Run("check", output.Trim()).Exit);
    }

    [Fact]
    public void Generate_Plain_PrintsFourteenDigits()
    {
        var (exit, output, _) = Run("generate", "--plain");
        Assert.Equal(0, exit);
        Assert.Matches("^91[0-9]{12}$", output.Trim());
    }
}

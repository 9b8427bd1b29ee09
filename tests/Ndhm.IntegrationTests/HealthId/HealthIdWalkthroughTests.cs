using System.Diagnostics;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.HealthId;

/// <summary>
/// The Health ID README's walkthrough of the issue #18 routes is <c>local-emulators/health-id-walkthrough.sh</c>, shown
/// in the README verbatim; this runs that very script (bash, curl, jq) against a real host, so the commands a newcomer
/// copies keep working, and checks the README still shows the script as it is.
/// </summary>
[Collection(SharedHealthIdHost.Name)]
public sealed class HealthIdWalkthroughTests(SharedHealthIdHostFixture sandbox)
{
    private static string Script => Path.Combine(RepositoryRoot.Find(), "local-emulators", "health-id-walkthrough.sh");

    [Fact]
    [Trait("M1", "CRT_ABHA_102")]
    [Trait("M1", "CRT_ABHA_202")]
    [Trait("M1", "CRT_ABHA_301")]
    [Trait("M1", "CRT_ABHA_304")]
    [Trait("M1", "CRT_ABHA_306")]
    [Trait("M1", "CRT_ABHA_407")]
    [Trait("M1", "CRT_ABHA_408")]
    [Trait("M1", "CRT_ABHA_409")]
    [Trait("M1", "PROF_ABHA_603")]
    public async Task GivenARunningHost_WhenTheReadmeWalkthroughRuns_ThenEveryStepAnswersAsDocumented()
    {
        var start = new ProcessStartInfo("bash", [Script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["B"] = new Uri(sandbox.Client.BaseAddress!, "api").AbsoluteUri, ["TMPDIR"] = Path.GetTempPath() },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);

        var log = await output + await errors;
        Assert.True(process.ExitCode == 0, log);
        Assert.Contains("Every Health ID step of issue #18 answered as expected.", log);
        Assert.DoesNotContain("FAILED", log);
    }

    [Fact]
    public void GivenTheHealthIdReadme_ThenItShowsTheWalkthroughScriptVerbatim()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "functions", "Ndhm.HealthId", "README.md"));
        var script = File.ReadAllText(Script);

        Assert.Contains("```bash\n" + script + "```\n", readme, StringComparison.Ordinal);
    }
}

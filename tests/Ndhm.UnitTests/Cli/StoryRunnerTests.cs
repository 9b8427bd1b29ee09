using System.Text.Json;
using Ndhm.Cli.Commands;
using Ndhm.Cli.Conformance;
using Ndhm.Cli.Story;

namespace Ndhm.UnitTests.Cli;

/// <summary>The story runner's statuses, the demo's table and exit code, and the conformance kit's ABDM schema check.</summary>
public sealed class StoryRunnerTests
{
    private static StoryStep Step(string id, Func<Task<string>> run, params string[] needs) => new(id, "step " + id, _ => run(), needs);

    [Fact]
    public async Task GivenAFailingStep_WhenRunToTheFirstFailure_ThenItFailsWithItsMessage_AndEveryLaterStepIsSkipped()
    {
        var ran = new List<string>();
        var steps = new[]
        {
            Step("a", () => { ran.Add("a"); return Task.FromResult("fine"); }),
            Step("b", () => throw new StoryException("no on-discover")),
            Step("c", () => { ran.Add("c"); return Task.FromResult("never"); }),
        };

        var results = await StoryRunner.RunAsync(steps, null, null, stopAtFirstFailure: true, CancellationToken.None);

        Assert.Equal([StepStatus.Passed, StepStatus.Failed, StepStatus.Skipped], results.Select(r => r.Status));
        Assert.Equal("no on-discover", results[1].Detail);
        Assert.Equal(["a"], ran);
    }

    [Fact]
    public async Task GivenStepsThatNeedOthers_WhenOneFails_ThenOnlyTheStepsNeedingItAreSkipped()
    {
        var steps = new[]
        {
            Step("grant", () => Task.FromResult("ok")),
            Step("share", () => throw new StoryException("checksum missing"), "grant"),
            Step("revoke", () => Task.FromResult("ok"), "grant"),
            Step("after-share", () => Task.FromResult("ok"), "share"),
        };

        var results = await StoryRunner.RunAsync(steps, null, null, stopAtFirstFailure: false, CancellationToken.None);

        Assert.Equal([StepStatus.Passed, StepStatus.Failed, StepStatus.Passed, StepStatus.Skipped], results.Select(r => r.Status));
        Assert.Equal("not run: needs share", results[3].Detail);
    }

    [Fact]
    public void GivenResults_WhenSummarised_ThenTheTableListsEveryStepAndTheExitCodeIsNonZeroOnlyWhenOneDidNotPass()
    {
        var ok = new StepResult(Step("a", () => Task.FromResult("")), StepStatus.Passed, TimeSpan.FromSeconds(1.5), "");
        var bad = new StepResult(Step("b", () => Task.FromResult("")), StepStatus.Failed, TimeSpan.FromSeconds(2), "why");
        using var passedOut = new StringWriter();
        using var failedOut = new StringWriter();

        var passed = DemoCommand.Summarise(DemoCommand.Console(passedOut), [ok]);
        var failed = DemoCommand.Summarise(DemoCommand.Console(failedOut), [ok, bad]);

        Assert.Equal((0, 1), (passed, failed));
        Assert.Contains("step a", failedOut.ToString(), StringComparison.Ordinal);
        Assert.Contains("FAIL", failedOut.ToString(), StringComparison.Ordinal);
        Assert.Contains("1/2 passed", failedOut.ToString(), StringComparison.Ordinal);
        Assert.Contains("1.50 s", failedOut.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void GivenADataPush_WhenAnEntryLacksItsChecksum_ThenTheAbdmSchemaCheckNamesIt_AndTheWholePushPasses()
    {
        const string Push = """
            {"pageNumber":1,"pageCount":1,"transactionId":"6f0cbbd5-7e4c-4e0a-9c6e-2f7f1f0b2a11",
             "entries":[{"content":"ZW5jcnlwdGVk","media":"application/fhir+json","checksum":"abc","careContextReference":"OP-1"}],
             "keyMaterial":{"cryptoAlg":"ECDH","curve":"Curve25519","dhPublicKey":{"expiry":"2026-12-03T10:00:00.000Z","parameters":"Curve25519/32byte random key","keyValue":"AAAA"},"nonce":"bm9uY2U="}}
            """;
        var broken = Push.Replace("\"checksum\":\"abc\",", "", StringComparison.Ordinal);

        Assert.Empty(HipConformance.SchemaProblems(JsonDocument.Parse(Push).RootElement));
        var problems = HipConformance.SchemaProblems(JsonDocument.Parse(broken).RootElement);
        Assert.Contains(problems, p => p.Contains("checksum", StringComparison.Ordinal));
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ndhm.Cli.Conformance;
using Ndhm.Cli.Story;
using Ndhm.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Ndhm.IntegrationTests.SamplePartners;

/// <summary>
/// <c>ndhm conformance --role hip</c> against the sample hospital and <c>--role hiu</c> against the sample clinic (through
/// its desk; the hospital's desk starts HIP-initiated linking and shows its bridge's messages, which the kit checks
/// against ABDM's schema): the well-behaved bridge passes every case; a bridge started broken (<c>--broken-bridge</c>)
/// fails exactly the case its fault belongs to, with the reason, and the cases that need it are skipped.
/// </summary>
public sealed class ConformanceKitTests(SamplePartnersFixture sandbox, ITestOutputHelper output) : IClassFixture<SamplePartnersFixture>
{
    private static readonly string[] AllCases =
        ["PARTNER_SESSION", "KIT_SETUP", "USER_INIT_LINK_604", "USER_INIT_LINK_605", "HIP_INIT_GRANT_CONSENT", "HIP_INIT_SHARE_CARECONTEXT", "HIP_INIT_REVOKE_CONSENT",
         "HIP_INIT_EXPIRE_CONSENT", "HIP_INTI_LINK_201", "HIP_INTI_LINK_401", "HIP_INTI_LINK_404", "KIT_DIRECT_AUTH_DENIED", "HIP_INTI_LINK_501", "KIT_DEMOGRAPHICS_MISMATCH"];

    private static readonly string[] UserInitiatedAfterDiscovery = ["USER_INIT_LINK_605", "HIP_INIT_GRANT_CONSENT", "HIP_INIT_SHARE_CARECONTEXT", "HIP_INIT_REVOKE_CONSENT",
        "HIP_INIT_EXPIRE_CONSENT"];

    private static readonly string[] AllHiuCases = ["PARTNER_SESSION", "KIT_SETUP", "HIU_FLOW_102", "KIT_GRANT", "HIU_FLOW_104", "HIU_FLOW_106", "HIU_FLOW_202"];

    [Fact]
    public async Task GivenTheSampleHospital_WhenTheKitRuns_ThenEveryM2CasePasses()
    {
        var results = await RunKitAsync(sandbox.Partners);
        output.WriteLine(Describe(results));

        Assert.True(results.All(r => r.Status == StepStatus.Passed), Describe(results));
        Assert.Equal(AllCases, results.Select(r => r.Step.Id));
        Assert.Contains("add-contexts and on-add-contexts match ABDM's schema", results.Single(r => r.Step.Id == "HIP_INTI_LINK_404").Detail, StringComparison.Ordinal);
        Assert.Contains("on-discover match", results.Single(r => r.Step.Id == "USER_INIT_LINK_604").Detail, StringComparison.Ordinal);
        var mobileOtp = results.Single(r => r.Step.Id == "HIP_INTI_LINK_201").Detail;
        Assert.Contains("users/auth/init, on-init, confirm and on-confirm match ABDM's schema", mobileOtp, StringComparison.Ordinal);
        Assert.Contains("add-contexts and on-add-contexts match ABDM's schema", mobileOtp, StringComparison.Ordinal);
        var expired = results.Single(r => r.Step.Id == "HIP_INIT_EXPIRE_CONSENT").Detail;
        Assert.Contains("/v0.5/consents/hip/notify accepted by the HIP's bridge; on-notify matches ABDM's schema; a later data request is refused (", expired, StringComparison.Ordinal);
        var demographic = results.Single(r => r.Step.Id == "HIP_INTI_LINK_501").Detail;
        Assert.Contains("(LINK, DEMOGRAPHICS)", demographic, StringComparison.Ordinal);
        Assert.Contains("users/auth/init, on-init, confirm and on-confirm match ABDM's schema", demographic, StringComparison.Ordinal);
        Assert.Contains("add-contexts and on-add-contexts match ABDM's schema", demographic, StringComparison.Ordinal);
        var mismatch = results.Single(r => r.Step.Id == "KIT_DEMOGRAPHICS_MISMATCH").Detail;
        Assert.Contains("refused by on-confirm (ABDM-1045", mismatch, StringComparison.Ordinal);
        Assert.Contains("the desk's linking FAILED, no add-contexts", mismatch, StringComparison.Ordinal);
        Assert.EndsWith("nothing new linked", mismatch, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenAHospitalWhoseAddContextsLeavesOutTheCareContextsDisplay_WhenTheKitRuns_ThenOnlyTheHipInitiatedLinkingCasesFailNamingTheSchemaRule()
    {
        await using var broken = await SamplePartnersProcess.StartAsync(sandbox.Host, "--broken-bridge", "malformed-add-contexts");

        var results = await RunKitAsync(broken);
        output.WriteLine(Describe(results));

        // Every HIP-initiated linking ends in the same add-contexts: with mobile OTP (201), Direct Auth (404) and demographic auth (501).
        var failed = results.Where(r => r.Status != StepStatus.Passed).ToList();
        Assert.Equal(["HIP_INTI_LINK_201", "HIP_INTI_LINK_404", "HIP_INTI_LINK_501"], failed.Select(r => r.Step.Id));
        Assert.All(failed, f =>
        {
            Assert.Equal(StepStatus.Failed, f.Status);
            Assert.Contains("the HIP's /v0.5/links/link/add-contexts does not match ABDM's PatientCareContextLinkRequest (ndhm-hip.yml)", f.Detail, StringComparison.Ordinal);
            Assert.Contains("/link/patient/careContexts/0: ", f.Detail, StringComparison.Ordinal);
            Assert.Contains("display", f.Detail, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task GivenAHospitalThatPushesEntriesWithoutChecksums_WhenTheKitRuns_ThenOnlyTheShareCaseFailsNamingTheSchemaRule()
    {
        await using var broken = await SamplePartnersProcess.StartAsync(sandbox.Host, "--broken-bridge", "malformed-push");

        var results = await RunKitAsync(broken);

        var failed = Assert.Single(results, r => r.Status != StepStatus.Passed);
        Assert.Equal(("HIP_INIT_SHARE_CARECONTEXT", StepStatus.Failed), (failed.Step.Id, failed.Status));
        Assert.Contains("checksum", failed.Detail, StringComparison.Ordinal);
        Assert.Contains("DataNotification", failed.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenAHospitalThatNeverAnswersDiscovery_WhenTheKitRuns_ThenDiscoveryFailsNamingTheMissingCallback_AndTheCasesAfterItAreSkipped()
    {
        await using var broken = await SamplePartnersProcess.StartAsync(sandbox.Host, "--broken-bridge", "omit-on-discover");

        var results = await RunKitAsync(broken, TimeSpan.FromSeconds(8));
        output.WriteLine(Describe(results));

        var byCase = results.ToDictionary(r => r.Step.Id, r => r.Status);
        Assert.Equal(StepStatus.Passed, byCase["PARTNER_SESSION"]);
        Assert.Equal(StepStatus.Passed, byCase["KIT_SETUP"]);
        Assert.Equal(StepStatus.Failed, byCase["USER_INIT_LINK_604"]);
        Assert.All(UserInitiatedAfterDiscovery, c => Assert.Equal(StepStatus.Skipped, byCase[c]));
        Assert.All(AllCases[8..], c => Assert.Equal(StepStatus.Passed, byCase[c])); // HIP-initiated linking needs no discovery
        Assert.Contains("no on-discover", results.Single(r => r.Step.Id == "USER_INIT_LINK_604").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenTheSampleClinic_WhenTheHiuKitRunsThroughItsDesk_ThenEveryM3CasePasses()
    {
        var results = await RunHiuKitAsync(sandbox.Partners);
        output.WriteLine(Describe(results));

        Assert.True(results.All(r => r.Status == StepStatus.Passed), Describe(results));
        Assert.Equal(AllHiuCases, results.Select(r => r.Step.Id));
        Assert.Contains("reported KIT-OP-", results.Single(r => r.Step.Id == "HIU_FLOW_106").Detail, StringComparison.Ordinal);
        Assert.Contains("/v0.5/consent-requests/on-status accepted by the HIU's bridge; the HIU's desk shows it GRANTED",
            results.Single(r => r.Step.Id == "HIU_FLOW_104").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenAClinicWhoseDataPushUrlRefusesPushes_WhenTheHiuKitAsksItsOperatorOnTheConsole_ThenOnlyTheDataCaseFailsWithTheHiusAnswer()
    {
        await using var broken = await SamplePartnersProcess.StartAsync(sandbox.Host, "--broken-bridge", "refuse-push");
        var prompts = new List<string>();

        var results = await RunHiuKitAsync(broken, ConsoleOperator(broken, prompts));

        Assert.Equal(3, prompts.Count);
        var failed = Assert.Single(results, r => r.Status != StepStatus.Passed);
        Assert.Equal(("HIU_FLOW_106", StepStatus.Failed), (failed.Step.Id, failed.Status));
        Assert.Contains("refused the push: 400", failed.Detail, StringComparison.Ordinal);
        Assert.Contains("refuse-push", failed.Detail, StringComparison.Ordinal);
    }

    /// <summary>Through the clinic's desk, or (with <paramref name="console"/>) without a desk URL, the operator answering the kit's prompts.</summary>
    private async Task<IReadOnlyList<StepResult>> RunHiuKitAsync(SamplePartnersProcess partners, Func<string, string?>? console = null)
    {
        var credentials = JsonDocument.Parse(await partners.Client.GetStringAsync("clinic/credentials")).RootElement;
        var desk = console is null ? new Uri($"http://127.0.0.1:{partners.Port}/clinic") : null;
        var target = new HiuConformanceTarget(credentials.GetProperty("clientId").GetString()!, credentials.GetProperty("clientSecret").GetString()!,
            new StoryPatient("999900000016", "9000000001"), desk, TimeSpan.FromSeconds(30));
        using var http = StoryClient.Create(new Uri($"http://localhost:{sandbox.Host.Port}/"), desk);
        var kit = new HiuConformance(http, target, console ?? (_ => throw new InvalidOperationException("the kit asked the HIU's operator on the console")));
        return await StoryRunner.RunAsync(kit.Steps, null, null, stopAtFirstFailure: false, CancellationToken.None);
    }

    /// <summary>
    /// The clinic's operator at the console: does what the prompt says with only what it says (in the clinic's desk,
    /// started in the background as a person would while the kit waits) and presses Enter.
    /// </summary>
    private static Func<string, string?> ConsoleOperator(SamplePartnersProcess clinic, List<string> prompts) => prompt =>
    {
        prompts.Add(prompt);
        var consent = Regex.Match(prompt, @"request consent for (\S+) from HIP (\S+) ");
        var data = Regex.Match(prompt, @"consent artefact (\S+) \(patient \S+, (\S+) to (\S+)\)");
        var status = Regex.Match(prompt, @"refresh the status of consent request (\S+) ");
        var (path, body) = consent.Success ? ("clinic/consent-requests", (object)new { patient = consent.Groups[1].Value, hip = consent.Groups[2].Value })
            : status.Success ? ($"clinic/consent-requests/{status.Groups[1].Value}/status", new { })
            : data.Success ? ("clinic/health-information-requests", new { consentId = data.Groups[1].Value, from = data.Groups[2].Value, to = data.Groups[3].Value })
            : throw new InvalidOperationException("a prompt the operator cannot act on: " + prompt);
        _ = Task.Run(() => clinic.Client.PostAsJsonAsync(path, body));
        return "";
    };

    private async Task<IReadOnlyList<StepResult>> RunKitAsync(SamplePartnersProcess partners, TimeSpan? wait = null)
    {
        var credentials = JsonDocument.Parse(await partners.Client.GetStringAsync("hospital/credentials")).RootElement;
        var desk = new Uri($"http://127.0.0.1:{partners.Port}/hospital");
        var target = new ConformanceTarget(credentials.GetProperty("clientId").GetString()!, credentials.GetProperty("clientSecret").GetString()!,
            new StoryPatient("999900000016", "9000000001"), $"http://127.0.0.1:{partners.Port}/hospital/sms", wait ?? TimeSpan.FromSeconds(30), desk);
        using var http = StoryClient.Create(new Uri($"http://localhost:{sandbox.Host.Port}/"), desk);
        var kit = new HipConformance(http, target, _ => throw new InvalidOperationException("the kit asked for an OTP on the console"));
        return await StoryRunner.RunAsync(kit.Steps, null, null, stopAtFirstFailure: false, CancellationToken.None);
    }

    private static string Describe(IEnumerable<StepResult> results) =>
        string.Join('\n', results.Select(r => $"{r.Step.Id} {r.Status} ({r.Elapsed.TotalSeconds:0.00} s) {r.Detail}"));
}

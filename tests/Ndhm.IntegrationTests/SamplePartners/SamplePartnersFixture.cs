using System.Net;
using System.Text.Json;
using Ndhm.IntegrationTests.HealthId;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.SamplePartners;

/// <summary>
/// The real local host (Health ID's sandbox KYC identities, fast callback retries) and the sample partners process
/// registered against it over HTTP, as <c>local-emulators/sandbox.sh</c> runs them. Tests act as the patient through
/// the platform's API and as the partners' staff through the sample partners' own endpoints.
/// </summary>
public class SamplePartnersFixture : HealthIdHostFixture
{
    private SamplePartnersProcess? partners;

    public SamplePartnersProcess Partners => partners ?? throw new InvalidOperationException("not started");

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Gateway__CallbackInitialDelayMs"] = "200",
        ["Gateway__CallbackMaxDelayMs"] = "1000",
        ["Gateway__CallbackTimeoutSeconds"] = "5",
        ["Gateway__SecretHashIterations"] = "1000",
        ["Abdm__DiscoveryTimeout"] = "00:00:30",
    };

    /// <summary>Command-line arguments for the sample partners process (e.g. <c>--link-above-bytes</c>).</summary>
    protected virtual string[] PartnerArgs => [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        partners = await SamplePartnersProcess.StartAsync(Host, PartnerArgs);
    }

    /// <summary>A patient's call to the platform with their token; asserts the status and returns the JSON body.</summary>
    public async Task<JsonElement> PatientAsync(string token, HttpMethod method, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await HealthIdApi.SendAsync(Client, method, path, token, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Reads <paramref name="path"/> as the patient until <paramref name="done"/> holds (the partners answer asynchronously); 45 s unless told.</summary>
    public async Task<JsonElement> PatientUntilAsync(string token, string path, Func<JsonElement, bool> done, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(45));
        while (true)
        {
            var last = await PatientAsync(token, HttpMethod.Get, path);
            if (done(last)) return last;
            Assert.True(DateTime.UtcNow < deadline, $"{path} never reached the expected state: {last}\n{Partners.Output}");
            await Task.Delay(250);
        }
    }

    public override async Task DisposeAsync()
    {
        if (partners is not null) await partners.DisposeAsync();
        await base.DisposeAsync();
    }
}

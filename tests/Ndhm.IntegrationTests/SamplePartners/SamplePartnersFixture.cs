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

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        partners = await SamplePartnersProcess.StartAsync(Host);
    }

    public override async Task DisposeAsync()
    {
        if (partners is not null) await partners.DisposeAsync();
        await base.DisposeAsync();
    }
}

using Microsoft.Extensions.Configuration;
using Ndhm.Audit;
using Ndhm.Infrastructure.Audit;
using Ndhm.Infrastructure.Consent;
using Ndhm.Infrastructure.HealthId;
using Ndhm.Infrastructure.Phr;
using Ndhm.Infrastructure.Storage;
using Ndhm.IntegrationTests.Support;
using Ndhm.Phr;

namespace Ndhm.IntegrationTests.Phr;

/// <summary>
/// The PHR record service over the run's Cosmos database, Azurite container and the sandbox Key Vault, exactly as a test
/// host wires it, with a clock of the test's choosing: what the data-transfer capability's HIU side will call, and a
/// "restarted host" when built again.
/// </summary>
internal sealed class PhrServicesForTest
{
    public PhrServicesForTest(TimeProvider clock)
    {
        Privacy = PrivacyServicesForTest.Sandbox();
        var healthIdKeys = new WrappedHealthIdKeySource(SandboxCosmos.Client, SandboxCosmos.Settings, Privacy.Wrapper, TimeProvider.System);
        Keys = new PhrPatientKeys(healthIdKeys);
        Options = new PhrOptions { BlobContainer = TestRun.PhrContainer };
        var storage = new StorageClients(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [Ndhm.Core.Configuration.SettingNames.StorageConnection] = SandboxEndpoints.StorageConnectionString })
            .Build());
        Store = new CosmosHealthRecordStore(SandboxCosmos.Client, SandboxCosmos.Settings, Privacy.Fields, Keys);
        Payloads = new BlobHealthRecordPayloads(storage, Privacy.Blobs, Keys, Options);
        var consents = new ConsentStorePatientGrants(new CosmosConsentStore(SandboxCosmos.Client, SandboxCosmos.Settings, Privacy.Fields, healthIdKeys));
        var audit = new PhrAudit(new AuditTrail(new CosmosAuditStore(SandboxCosmos.Client, SandboxCosmos.Settings), TimeProvider.System), new NoCurrentAuditActor());
        Service = new PhrRecordService(Store, Payloads, consents, audit, Options, clock);
    }

    public PrivacyServicesForTest Privacy { get; }
    public PhrPatientKeys Keys { get; }
    public PhrOptions Options { get; }
    public CosmosHealthRecordStore Store { get; }
    public BlobHealthRecordPayloads Payloads { get; }
    public PhrRecordService Service { get; }
}

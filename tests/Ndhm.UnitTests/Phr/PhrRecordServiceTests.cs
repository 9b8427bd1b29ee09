using System.Text;
using Ndhm.Core.Errors;
using Ndhm.Phr;
using Ndhm.Phr.Records;

namespace Ndhm.UnitTests.Phr;

public sealed class PhrRecordServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task GivenAPulledRecord_WhenHandedOverTwice_ThenItIsStoredOnce_AndTheSecondCallReturnsTheSameRecord()
    {
        var rig = new PhrRig();

        var first = await rig.Service.AddPulledRecordAsync(PhrRig.Pulled(), None);
        var again = await rig.Service.AddPulledRecordAsync(PhrRig.Pulled(), None);
        var otherType = await rig.Service.AddPulledRecordAsync(PhrRig.Pulled(hiType: "OPConsultation"), None);

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(first.Record.Id, again.Record.Id);
        Assert.NotEqual(first.Record.Id, otherType.Record.Id);
        Assert.Equal(2, rig.Store.Records.Count);
        Assert.Equal(2, rig.Audit.Events.Count(e => e.Action == PhrAudit.RecordStore));
        Assert.Equal(("Prescription", new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero)), (first.Record.Title, first.Record.RecordDate));
    }

    [Fact]
    public async Task GivenALargeBundle_WhenStored_ThenItGoesToTheBlobStore_AndReadsBackWhole()
    {
        var rig = new PhrRig();
        var bundle = PhrRig.Bundle(padding: 5000);

        var stored = await rig.Service.AddPulledRecordAsync(PhrRig.Pulled(bundle: bundle), None);
        var read = await rig.Service.GetAsync(PhrRig.Patient, stored.Record.Id, None);

        Assert.True(stored.Record.PayloadInBlob);
        Assert.Null(rig.Store.Records.Single().Value.Inline);
        Assert.Equal(Encoding.UTF8.GetBytes(bundle), rig.Payloads.Blobs.Single().Value);
        Assert.Equal(new string('x', 5000), read.Bundle!["text"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("NotAType", "{\"resourceType\":\"Bundle\"}")]
    [InlineData("Prescription", "{\"resourceType\":\"Patient\"}")]
    [InlineData("Prescription", "not json")]
    public async Task GivenAnInvalidPulledRecord_WhenHandedOver_ThenItIsRefused_AndNothingIsStored(string hiType, string bundle)
    {
        var rig = new PhrRig();

        var refused = await Assert.ThrowsAsync<DomainException>(() => rig.Service.AddPulledRecordAsync(PhrRig.Pulled(hiType: hiType, bundle: bundle), None));

        Assert.Equal(PhrErrors.InvalidRecord, refused.Code);
        Assert.Empty(rig.Store.Records);
    }

    [Fact]
    public async Task GivenATimeline_WhenPaged_ThenEveryRecordAppearsOnce_NewestFirst_AndTheLastPageHasNoToken()
    {
        var rig = new PhrRig();
        for (var day = 1; day <= 7; day++)
        {
            await rig.Service.AddPulledRecordAsync(PhrRig.Pulled(transaction: "txn-" + day,
                bundle: PhrRig.Bundle(timestamp: $"2026-11-{day:D2}T10:00:00Z")), None);
        }

        var seen = new List<HealthRecord>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await rig.Service.ListAsync(PhrRig.Patient, new TimelineFilter(), token, null, None);
            seen.AddRange(page.Records);
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(7, seen.Select(r => r.Id).Distinct().Count());
        Assert.Equal(seen.OrderByDescending(r => r.RecordDate).Select(r => r.Id), seen.Select(r => r.Id));
        Assert.Equal(3, rig.Audit.Events.Count(e => e.Action == PhrAudit.TimelineRead));
    }

    [Fact]
    public async Task GivenFilters_WhenListed_ThenOnlyMatchingRecordsOfThatPatientAreShown()
    {
        var rig = new PhrRig();
        await rig.Service.AddPulledRecordAsync(PhrRig.Pulled(transaction: "a", bundle: PhrRig.Bundle(timestamp: "2026-10-01T00:00:00Z")), None);
        await rig.Service.AddPulledRecordAsync(PhrRig.Pulled(transaction: "b", hiType: "DiagnosticReport", hip: "IN2810000003",
            bundle: PhrRig.Bundle(timestamp: "2026-11-01T00:00:00Z")), None);
        await rig.Service.AddPulledRecordAsync(PhrRig.Pulled(transaction: "c", patient: PhrRig.OtherPatient), None);
        await rig.UploadAsync(PhrRig.MinimalPdf);

        var byType = await rig.Service.ListAsync(PhrRig.Patient, new TimelineFilter(HiType: "DiagnosticReport"), null, 10, None);
        var byHip = await rig.Service.ListAsync(PhrRig.Patient, new TimelineFilter(HipId: "IN2810000002"), null, 10, None);
        var byDate = await rig.Service.ListAsync(PhrRig.Patient, new TimelineFilter(From: new DateTimeOffset(2026, 10, 15, 0, 0, 0, TimeSpan.Zero),
            To: new DateTimeOffset(2026, 11, 15, 0, 0, 0, TimeSpan.Zero)), null, 10, None);
        var uploads = await rig.Service.ListAsync(PhrRig.Patient, new TimelineFilter(Source: HealthRecordSource.Uploaded), null, 10, None);

        Assert.Equal("b", Assert.Single(byType.Records).TransactionId);
        Assert.Equal("a", Assert.Single(byHip.Records).TransactionId);
        Assert.Equal("b", Assert.Single(byDate.Records).TransactionId);
        Assert.Equal(HiTypes.HealthDocumentRecord, Assert.Single(uploads.Records).HiType);
    }

    [Theory]
    [InlineData("not-base64!")]
    [InlineData("MDAwMDAwMDAwMDAwMDAwfG5vdC1hLXV1aWQ")]
    public async Task GivenAForgedContinuationToken_WhenListed_ThenItIsRefused(string token)
    {
        var rig = new PhrRig();

        var refused = await Assert.ThrowsAsync<DomainException>(() => rig.Service.ListAsync(PhrRig.Patient, new TimelineFilter(), token, null, None));

        Assert.Equal(PhrErrors.InvalidContinuation, refused.Code);
    }

    [Fact]
    public async Task GivenAnUpload_WhenReadByItsOwnerAndAnotherPatient_ThenTheOwnerGetsTheFile_AndTheOtherNotFound()
    {
        var rig = new PhrRig();
        var record = await rig.UploadAsync(PhrRig.MinimalPdf, fileName: "C:\\scans\\blood test.exe");

        var attachment = await rig.Service.GetAttachmentAsync(PhrRig.Patient, record.Id, 0, None);
        var body = new MemoryStream();
        await attachment.WriteToAsync(body, None);
        var other = await Assert.ThrowsAsync<DomainException>(() => rig.Service.GetAttachmentAsync(PhrRig.OtherPatient, record.Id, 0, None));

        Assert.Equal(("application/pdf", "blood test.pdf"), (attachment.ContentType, attachment.FileName));
        Assert.Equal(PhrRig.MinimalPdf, body.ToArray());
        Assert.Equal((ErrorKind.NotFound, PhrErrors.RecordNotFound), (other.Kind, other.Code));
        Assert.Contains(rig.Audit.Events, e => e.Action == PhrAudit.AttachmentRead && e.Resource.Id == record.Id);
    }

    [Theory]
    [InlineData("image/png", PhrErrors.DocumentTypeMismatch)]
    [InlineData("text/html", PhrErrors.UnsupportedDocument)]
    public async Task GivenADeclaredTypeThatIsNotTheContent_WhenUploaded_ThenItIsRefused_AndNothingIsStored(string declared, string code)
    {
        var rig = new PhrRig();

        var refused = await Assert.ThrowsAsync<DomainException>(() => rig.UploadAsync(PhrRig.MinimalPdf, declared));

        Assert.Equal(code, refused.Code);
        Assert.Empty(rig.Store.Records);
    }

    [Fact]
    public async Task GivenARenamedExecutable_WhenUploadedAsAPdf_ThenItIsRefusedAsHarmful()
    {
        var rig = new PhrRig();
        var executable = Encoding.Latin1.GetBytes("MZ\u0090\u0000\u0003\u0000\u0000\u0000This program cannot be run in DOS mode.");

        var refused = await Assert.ThrowsAsync<DomainException>(() => rig.UploadAsync(executable, "application/pdf", "report.pdf"));

        Assert.Equal(PhrErrors.DocumentRefused, refused.Code);
        Assert.Empty(rig.Store.Records);
    }

    [Fact]
    public async Task GivenALargeUploadWithAPolyglotTail_WhenUploaded_ThenThePartialBlobIsRemoved_AndNothingIsStored()
    {
        var rig = new PhrRig();
        var content = PhrRig.MinimalPdf.Concat(new byte[4000]).Concat("<html><script>x</script>"u8.ToArray()).ToArray();

        var refused = await Assert.ThrowsAsync<DomainException>(() => rig.UploadAsync(content));

        Assert.Equal(PhrErrors.DocumentRefused, refused.Code);
        Assert.Empty(rig.Store.Records);
        Assert.Empty(rig.Payloads.Blobs);
    }

    [Fact]
    public async Task GivenALargePng_WhenUploaded_ThenItStreamsToTheBlobStore_WithItsSizeAndDigest()
    {
        var rig = new PhrRig();
        var png = PhrRig.Png.Concat(Enumerable.Repeat((byte)7, 10_000)).ToArray();

        var record = await rig.UploadAsync(png, "image/png", "x-ray.png");

        Assert.True(record.PayloadInBlob);
        Assert.Equal((png.Length, "image/png"), (record.SizeBytes, record.ContentType));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png)), record.Sha256);
        Assert.Equal(png, rig.Payloads.Blobs[(PhrRig.Patient, record.Id)]);
    }

    [Fact]
    public async Task GivenAPulledRecord_WhenThePatientDeletesIt_ThenItIsRefused_WhileAnUploadIsDeletedWithItsBlob()
    {
        var rig = new PhrRig();
        var pulled = await rig.Service.AddPulledRecordAsync(PhrRig.Pulled(), None);
        var upload = await rig.UploadAsync(PhrRig.Png.Concat(new byte[5000]).ToArray(), "image/png");

        var refused = await Assert.ThrowsAsync<DomainException>(() => rig.Service.DeleteUploadAsync(PhrRig.Patient, pulled.Record.Id, None));
        await rig.Service.DeleteUploadAsync(PhrRig.Patient, upload.Id, None);

        Assert.Equal((ErrorKind.Conflict, PhrErrors.NotDeletable), (refused.Kind, refused.Code));
        Assert.Equal(pulled.Record.Id, Assert.Single(rig.Store.Records).Key.Id);
        Assert.Empty(rig.Payloads.Blobs);
    }

    [Fact]
    public async Task GivenRecordsWithEraseTimes_WhenTheClockPassesThem_ThenOnlyDueRecordsAreErased_AlsoByAFreshInstance()
    {
        var rig = new PhrRig();
        var soon = rig.Time.GetUtcNow().AddHours(1);
        var later = rig.Time.GetUtcNow().AddDays(2);
        var early = await rig.Service.AddPulledRecordAsync(PhrRig.Pulled(transaction: "early", eraseAt: soon, bundle: PhrRig.Bundle(padding: 3000)), None);
        var late = await rig.Service.AddPulledRecordAsync(PhrRig.Pulled(transaction: "late", eraseAt: later), None);
        var upload = await rig.UploadAsync(PhrRig.MinimalPdf);

        var before = await rig.Service.EraseDueAsync(None);
        rig.Time.Advance(TimeSpan.FromHours(1));
        var restarted = rig.Build();
        var atTime = await restarted.EraseDueAsync(None);
        var again = await restarted.EraseDueAsync(None);

        Assert.Equal((0, 1, 0), (before, atTime, again));
        Assert.Equal(new[] { late.Record.Id, upload.Id }.Order(), rig.Store.Records.Keys.Select(k => k.Id).Order());
        Assert.DoesNotContain((PhrRig.Patient, early.Record.Id), rig.Payloads.Blobs.Keys);
        var erased = Assert.Single(rig.Audit.Events, e => e.Action == PhrAudit.RecordErase);
        Assert.Equal((early.Record.Id, "system:phr-erasure"), (erased.Resource.Id, erased.Actor.Subject));
    }

    [Fact]
    public void GivenThePulledIdentity_WhenTheRecordIdIsDerived_ThenItIsAStableUuidThatDependsOnEveryPart()
    {
        var id = HealthRecordIds.ForPulled(PhrRig.Patient, "t", "cc", "Prescription");

        Assert.Equal(id, HealthRecordIds.ForPulled(PhrRig.Patient, "t", "cc", "Prescription"));
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal(4, new[]
        {
            HealthRecordIds.ForPulled(PhrRig.OtherPatient, "t", "cc", "Prescription"), HealthRecordIds.ForPulled(PhrRig.Patient, "u", "cc", "Prescription"),
            HealthRecordIds.ForPulled(PhrRig.Patient, "t", "cd", "Prescription"), HealthRecordIds.ForPulled(PhrRig.Patient, "t", "cc", "OPConsultation"),
        }.Append(id).Distinct().Count() - 1);
    }
}

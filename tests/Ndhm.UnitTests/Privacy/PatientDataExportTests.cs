using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Ndhm.Audit;
using Ndhm.Core.Errors;
using Ndhm.Privacy;
using Ndhm.Privacy.Export;
using Ndhm.UnitTests.Audit;
using Ndhm.UnitTests.HealthId;
using Task = System.Threading.Tasks.Task;

namespace Ndhm.UnitTests.Privacy;

public sealed class PatientDataExportTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly PatientDataSubject Patient = new(AuditRig.Abha);
    private readonly AuditRig audit = new();
    private readonly PrivacyRig privacy = new();

    public void Dispose() => audit.Dispose();

    private PatientDataExport Export(IEnumerable<IPatientDataExportSection>? sections = null, IEnumerable<IPatientClinicalRecordSource>? clinical = null) =>
        new(sections ?? [new FixedSection("profile", new JsonObject { ["name"] = "Asha" }), new AuditTrailExportSection(audit.Store, audit.Store)],
            clinical ?? [], privacy.Ring, audit.Trail, new NoCurrentActor(), audit.Time);

    [Fact]
    public async Task GivenRegisteredSections_WhenThePatientExports_ThenOneDocumentHoldsEachSectionInOrder_WithAnEmptyBundleAndNoConsentsYet()
    {
        var export = Export([new FixedSection("nominee", new JsonObject { ["name"] = "Ravi" }), new FixedSection("zeta", new JsonArray()),
            new FixedSection("profile", new JsonObject { ["name"] = "Asha" }), new AuditTrailExportSection(audit.Store, audit.Store)]);

        var exported = await export.ExportAsync(Patient, None);

        var document = exported.Document;
        Assert.Equal(["format", "exportId", "generatedAt", "subject", "profile", "linkedRecords", "consents", "nominee", "auditTrail", "zeta"],
            document.Select(p => p.Key));
        Assert.Equal(PatientDataExport.Format, document["format"]!.GetValue<string>());
        Assert.Equal(AuditRig.Abha, document["subject"]!["abhaNumber"]!.GetValue<string>());
        Assert.Equal("Asha", document["profile"]!["name"]!.GetValue<string>());
        Assert.Empty(document["consents"]!.AsArray());
        var bundle = document["linkedRecords"]!.AsObject();
        Assert.Equal(("Bundle", "collection", exported.ExportId), (bundle["resourceType"]!.GetValue<string>(), bundle["type"]!.GetValue<string>(), bundle["id"]!.GetValue<string>()));
        Assert.False(bundle.ContainsKey("entry"));
        Assert.Equal($"ndhm-patient-data-{AuditRig.Abha}-20261203T090000Z.json", exported.FileName);
        Assert.Equal(export.SectionNames, document.Select(p => p.Key).Skip(4));
    }

    [Fact]
    public async Task GivenAPatientWithATrail_WhenExported_ThenTheExportIsRecordedFirst_AndTheTrailSectionListsEveryEntryNewestFirstWithItsExport()
    {
        await audit.AppendAsync(3);

        var exported = await Export().ExportAsync(Patient, None);

        var chain = audit.Entries();
        Assert.Equal(4, chain.Count);
        var recorded = chain[4].Read();
        Assert.Equal((PatientDataExport.ExportAction, "patient-data", AuditRig.Abha, exported.ExportId),
            (recorded.Action, recorded.Resource.Type, recorded.Resource.Id, recorded.Outcome));
        Assert.Equal(AuditRig.Abha, recorded.Actor.Subject);
        var trail = exported.Document["auditTrail"]!;
        Assert.Equal((AuditRig.Chain, 4), (trail["chain"]!.GetValue<string>(), trail["entryCount"]!.GetValue<int>()));
        var entries = trail["entries"]!.AsArray();
        Assert.Equal([4L, 3L, 2L, 1L], entries.Select(e => e!["entry"]!["seq"]!.GetValue<long>()));
        Assert.Equal(chain[4].Hash, entries[0]!["hash"]!.GetValue<string>());
        Assert.Equal("data.export", entries[0]!["entry"]!["action"]!.GetValue<string>());
    }

    [Fact]
    public async Task GivenASignedChain_WhenItsExportedTrailIsPutBackInChainOrder_ThenTheAuditVerifierFindsItIntactAgainstThePlatformKeys()
    {
        await audit.AppendAsync(2);
        var exported = await Export().ExportAsync(Patient, None);
        await audit.Signing.SignAsync(None);
        exported = await Export().ExportAsync(Patient, None);

        var trail = exported.Document["auditTrail"]!;
        var entries = trail["entries"]!.AsArray().Reverse()
            .Select(e => new AuditExportEntry(JsonSerializer.SerializeToElement(e!["entry"]), e["hash"]!.GetValue<string>())).ToList();
        var keys = await audit.Keys.GetPublicKeysAsync(refresh: false, None);
        var report = new AuditExport(AuditExport.CurrentFormat, trail["chain"]!.GetValue<string>(), entries,
            trail["signedHead"]!.GetValue<string>(), keys).Verify(keys);

        Assert.True(report.Intact, report.FirstProblem?.ToString());
        Assert.Equal(4, report.Entries);
        Assert.Equal(3, report.SignedSeq);
    }

    [Fact]
    public async Task GivenAnErasedPatient_WhenTheyExport_ThenSubjectErased_AndNothingIsReadOrRecorded()
    {
        await privacy.Ring.ShredAsync(Patient.DataKey, None);
        var section = new FixedSection("profile", new JsonObject());

        var error = await Assert.ThrowsAsync<DomainException>(() => Export([section]).ExportAsync(Patient, None));

        Assert.Equal((ErrorKind.Gone, PrivacyErrors.SubjectErased), (error.Kind, error.Code));
        Assert.Equal(0, section.Reads);
        Assert.False(audit.Store.Chains.ContainsKey(AuditRig.Chain));
    }

    [Fact]
    public async Task GivenAPatientWithoutADataKeyYet_WhenTheyExport_ThenNoneIsCreated()
    {
        await Export().ExportAsync(Patient, None);

        Assert.Empty(privacy.Store.All);
    }

    [Fact]
    public async Task GivenTheAuditTrailIsDown_WhenThePatientExports_ThenTheExportFails_AndNoSectionIsRead()
    {
        audit.Store.FailAppendsWith = new InvalidOperationException("audit store down");
        var section = new FixedSection("profile", new JsonObject());

        await Assert.ThrowsAsync<InvalidOperationException>(() => Export([section]).ExportAsync(Patient, None));

        Assert.Equal(0, section.Reads);
    }

    [Fact]
    public async Task GivenASectionThatFails_WhenThePatientExports_ThenTheWholeExportFails()
    {
        var export = Export([new FixedSection("profile", new JsonObject()), new FailingSection()]);

        await Assert.ThrowsAsync<TimeoutException>(() => export.ExportAsync(Patient, None));
    }

    [Fact]
    public async Task GivenClinicalSources_WhenExported_ThenLinkedRecordsIsAFhirR4CollectionBundleOfTheirResources()
    {
        var observation = JsonNode.Parse("""{"resourceType":"Observation","id":"bp-1","status":"final","code":{"text":"Blood pressure"}}""")!.AsObject();
        var patient = JsonNode.Parse("""{"resourceType":"Patient","id":"p-1","name":[{"text":"Asha Verma"}]}""")!.AsObject();
        var export = Export(clinical: [new FixedRecords(new PatientClinicalRecord("urn:uuid:6f1c2d3e-0000-4000-8000-000000000001", observation)),
            new FixedRecords(new PatientClinicalRecord("urn:uuid:6f1c2d3e-0000-4000-8000-000000000002", patient))]);

        var exported = await export.ExportAsync(Patient, None);

        var bundle = (Bundle)new FhirJsonDeserializer().DeserializeResource(exported.Document["linkedRecords"]!.ToJsonString());
        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        Assert.Equal(ClinicalRecordsBundle.IdentifierSystem, bundle.Identifier!.System);
        Assert.Equal(["Observation", "Patient"], bundle.Entry.Select(e => e.Resource!.TypeName));
        Assert.Equal("urn:uuid:6f1c2d3e-0000-4000-8000-000000000001", bundle.Entry[0].FullUrl);
    }

    [Fact]
    public void GivenAnEmptyExport_WhenItsBundleIsParsedByTheFhirSdk_ThenItIsAValidCollectionWithoutEntries()
    {
        var json = ClinicalRecordsBundle.Create("3f0d7c52-8a4e-4a8e-9f3b-2d6c1e5a7b90", DateTimeOffset.UnixEpoch, []).ToJsonString();

        var bundle = (Bundle)new FhirJsonDeserializer().DeserializeResource(json);

        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        Assert.Empty(bundle.Entry);
    }

    [Fact]
    public void GivenARecordWithoutAResourceType_WhenBundled_ThenItIsRefused()
    {
        Assert.Throws<InvalidOperationException>(() => ClinicalRecordsBundle.Create("x", DateTimeOffset.UnixEpoch,
            [new PatientClinicalRecord("urn:uuid:1", new JsonObject { ["id"] = "no-type" })]));
    }

    [Theory]
    [InlineData("profile", "profile")]
    [InlineData("subject", null)]
    [InlineData("linkedRecords", null)]
    public void GivenDuplicateOrReservedSectionNames_WhenTheExportIsBuilt_ThenItRefusesToStart(string first, string? second)
    {
        IPatientDataExportSection[] sections = second is null
            ? [new FixedSection(first, null)]
            : [new FixedSection(first, null), new FixedSection(second, null)];

        Assert.Throws<InvalidOperationException>(() => Export(sections));
    }

    [Fact]
    public async Task GivenAConsentSectionIsRegistered_WhenExported_ThenItReplacesTheEmptyDefault()
    {
        var consents = new JsonArray(new JsonObject { ["id"] = "c-1" });

        var exported = await Export([new FixedSection(PatientDataExport.ConsentsSection, consents)]).ExportAsync(Patient, None);

        Assert.Equal("c-1", exported.Document["consents"]![0]!["id"]!.GetValue<string>());
    }

    private sealed class FixedSection(string name, JsonNode? value) : IPatientDataExportSection
    {
        public int Reads { get; private set; }

        public string Name => name;

        public Task<JsonNode?> ExportAsync(PatientDataSubject subject, CancellationToken ct)
        {
            Reads++;
            return Task.FromResult(value?.DeepClone());
        }
    }

    private sealed class FailingSection : IPatientDataExportSection
    {
        public string Name => "failing";

        public Task<JsonNode?> ExportAsync(PatientDataSubject subject, CancellationToken ct) => throw new TimeoutException("store down");
    }

    private sealed class FixedRecords(params PatientClinicalRecord[] records) : IPatientClinicalRecordSource
    {
        public Task<IReadOnlyList<PatientClinicalRecord>> GetRecordsAsync(PatientDataSubject subject, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<PatientClinicalRecord>>(records);
    }
}

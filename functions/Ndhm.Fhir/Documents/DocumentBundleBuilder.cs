using Hl7.Fhir.Model;
using Ndhm.Core.Errors;

namespace Ndhm.Fhir.Documents;

/// <summary>
/// Builds an ABDM health-information document: a FHIR Bundle of type <c>document</c> whose first entry is the
/// Composition (profiled and typed for the document kind), followed by the patient, authors and the clinical
/// resources. Every resource gets a <c>urn:uuid</c> fullUrl and every reference the builder writes points at one,
/// so the bundle is self-contained.
/// <code>
/// var bundle = DocumentBundleBuilder.For(AbdmDocumentType.Prescription)
///     .Patient(new AbhaPatient("91-1234-5678-9012", "asha@abdm", "Asha Rao"))
///     .Practitioner(new HprPractitioner("71-1234-5678-9012", "Dr. Iyer"))
///     .Organization(new HfrFacility("IN2810014366", "City Clinic"))
///     .Add(medicationRequest)
///     .Build();
/// </code>
/// Clinical resources without a subject/patient (or requester/performer where the profile wants one) get the
/// document's patient and first practitioner. <see cref="Reference"/> gives a resource's in-bundle reference
/// for links between clinical resources (a DiagnosticReport's results, a MedicationRequest's reason).
/// A builder is single-use and not thread-safe.
/// </summary>
public sealed class DocumentBundleBuilder
{
    private readonly AbdmDocumentKind _kind;
    private readonly List<Resource> _entries = [];
    private readonly List<(DocumentSection Section, List<Resource> Resources)> _sections = [];
    private Patient? _patient;
    private readonly List<Practitioner> _practitioners = [];
    private Organization? _organization;
    private Encounter? _encounter;
    private Identifier? _identifier;
    private DateTimeOffset? _date;
    private string? _title;
    private TimeProvider _time = TimeProvider.System;
    private bool _built;

    private DocumentBundleBuilder(AbdmDocumentKind kind) => _kind = kind;

    /// <summary>Starts a document of the given type.</summary>
    public static DocumentBundleBuilder For(AbdmDocumentType type) => new(AbdmProfiles.For(type));

    public AbdmDocumentKind Kind => _kind;

    /// <summary>Clock for the bundle timestamp and Composition.date (tests pass a fake one).</summary>
    public DocumentBundleBuilder Clock(TimeProvider time)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
        return this;
    }

    /// <summary>Bundle.identifier (the HIP's document id); default: a fresh urn:uuid.</summary>
    public DocumentBundleBuilder Identifier(string system, string value)
    {
        _identifier = new Identifier(system, value);
        return this;
    }

    /// <summary>Composition.date and Bundle.timestamp; default: now.</summary>
    public DocumentBundleBuilder Date(DateTimeOffset date)
    {
        _date = date;
        return this;
    }

    /// <summary>Composition.title; default: the document type's display.</summary>
    public DocumentBundleBuilder Title(string title)
    {
        _title = title;
        return this;
    }

    public DocumentBundleBuilder Patient(AbhaPatient patient) => Patient(patient.ToResource());

    /// <summary>Uses a Patient the caller built; it must carry an ABHA identifier.</summary>
    public DocumentBundleBuilder Patient(Patient patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        if (patient.Identifier.Count == 0)
        {
            throw Incomplete("the patient must be identified (ABHA number or ABHA address)");
        }

        _patient = EnsureProfile(patient, AbdmProfiles.Patient);
        return Track(_patient);
    }

    public DocumentBundleBuilder Practitioner(HprPractitioner practitioner) => Practitioner(practitioner.ToResource());

    /// <summary>Adds an author. The first practitioner also becomes requester/performer where one is missing.</summary>
    public DocumentBundleBuilder Practitioner(Practitioner practitioner)
    {
        ArgumentNullException.ThrowIfNull(practitioner);
        _practitioners.Add(EnsureProfile(practitioner, AbdmProfiles.Practitioner));
        return Track(practitioner);
    }

    public DocumentBundleBuilder Organization(HfrFacility facility) => Organization(facility.ToResource());

    /// <summary>The custodian (the HIP facility); also the author when no practitioner is given.</summary>
    public DocumentBundleBuilder Organization(Organization organization)
    {
        ArgumentNullException.ThrowIfNull(organization);
        _organization = EnsureProfile(organization, AbdmProfiles.Organization);
        return Track(organization);
    }

    /// <summary>The encounter the document belongs to (Composition.encounter).</summary>
    public DocumentBundleBuilder Encounter(Encounter encounter)
    {
        ArgumentNullException.ThrowIfNull(encounter);
        _encounter = EnsureProfile(encounter, AbdmProfiles.Encounter);
        return Track(encounter);
    }

    /// <summary>Adds a resource to the document type's default section.</summary>
    public DocumentBundleBuilder Add(Resource resource) => Add(DefaultSection(resource), resource);

    /// <summary>Adds resources to a section (created on first use, in call order).</summary>
    public DocumentBundleBuilder Add(DocumentSection section, params Resource[] resources)
    {
        ArgumentNullException.ThrowIfNull(section);
        var slot = _sections.FirstOrDefault(s => s.Section == section).Resources;
        if (slot is null)
        {
            slot = [];
            _sections.Add((section, slot));
        }

        foreach (var resource in resources)
        {
            slot.Add(resource);
            Track(resource);
        }

        return this;
    }

    /// <summary>Adds a resource that the document needs but no section lists (an Observation a report cites).</summary>
    public DocumentBundleBuilder Include(Resource resource) => Track(resource);

    /// <summary>The in-bundle reference (<c>urn:uuid:...</c>) of a resource, assigning its id if it has none.</summary>
    public static ResourceReference Reference(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        resource.Id ??= Guid.NewGuid().ToString();
        return new ResourceReference(FullUrl(resource));
    }

    /// <summary>Assembles the bundle. Throws <see cref="DomainException"/> (Validation) when a part is missing.</summary>
    public Bundle Build()
    {
        if (_built)
        {
            throw new InvalidOperationException("a DocumentBundleBuilder builds one bundle");
        }

        if (_patient is null)
        {
            throw Incomplete("a document needs the patient (Patient(...))");
        }

        if (_practitioners.Count == 0 && _organization is null)
        {
            throw Incomplete("a document needs an author (Practitioner(...) or Organization(...))");
        }

        if (_sections.Count == 0)
        {
            throw Incomplete("a document needs at least one clinical resource (Add(...))");
        }

        _built = true;
        var now = _date ?? _time.GetLocalNow();
        var patientRef = Named(_patient, _patient.Name.FirstOrDefault()?.Text);
        var practitionerRef = _practitioners.Count > 0
            ? Named(_practitioners[0], _practitioners[0].Name.FirstOrDefault()?.Text)
            : null;

        var composition = new Composition
        {
            Id = Guid.NewGuid().ToString(),
            Language = "en-IN",
            Identifier = new Identifier("urn:ietf:rfc:3986", "urn:uuid:" + Guid.NewGuid()),
            Status = CompositionStatus.Final,
            Type = _kind.CompositionType(),
            Subject = patientRef,
            Encounter = _encounter is null ? null : Reference(_encounter),
            Date = now.ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
            Title = _title ?? _kind.Display,
            Custodian = _organization is null ? null : Named(_organization, _organization.Name),
        };
        if (_kind.ProfileInIg)
        {
            composition.Meta = new Meta { Profile = [_kind.CompositionProfile] };
        }

        composition.Author.AddRange(_practitioners.Select(p => Named(p, p.Name.FirstOrDefault()?.Text)));
        if (composition.Author.Count == 0)
        {
            composition.Author.Add(Named(_organization!, _organization!.Name));
        }

        foreach (var (section, resources) in _sections)
        {
            composition.Section.Add(new Composition.SectionComponent
            {
                Title = section.Title,
                Code = section.Code,
                Entry = resources.Select(r => new ResourceReference(FullUrl(r)) { Type = r.TypeName }).ToList(),
            });
        }

        foreach (var resource in _entries)
        {
            Participants.Fill(resource, patientRef, practitionerRef, _encounter is null ? null : Reference(_encounter));
        }

        var bundle = new Bundle
        {
            Id = Guid.NewGuid().ToString(),
            Meta = new Meta
            {
                VersionId = "1",
                Profile = [AbdmProfiles.DocumentBundle],
                LastUpdated = now,
                Security = [new Coding("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "V", "very restricted")],
            },
            Identifier = _identifier ?? new Identifier("urn:ietf:rfc:3986", "urn:uuid:" + Guid.NewGuid()),
            Type = Bundle.BundleType.Document,
            Timestamp = now,
        };
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = FullUrl(composition), Resource = composition });
        foreach (var resource in _entries)
        {
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = FullUrl(resource), Resource = resource });
        }

        return bundle;
    }

    internal static DomainException Incomplete(string detail) =>
        new(ErrorKind.Validation, FhirErrorCodes.IncompleteDocument, "The document is incomplete", detail);

    private DocumentSection DefaultSection(Resource resource) => _kind.Type switch
    {
        AbdmDocumentType.Prescription => DocumentSection.Prescription,
        AbdmDocumentType.DiagnosticReport => DocumentSection.DiagnosticReport,
        AbdmDocumentType.ImmunizationRecord => DocumentSection.Immunizations,
        AbdmDocumentType.HealthDocumentRecord => DocumentSection.HealthDocument,
        AbdmDocumentType.Invoice => DocumentSection.Invoice,
        AbdmDocumentType.WellnessRecord => resource is Observation o && o.Category.Any(c => c.Coding.Any(x => x.Code == "vital-signs"))
            ? DocumentSection.VitalSigns
            : DocumentSection.OtherObservations,
        _ => resource switch
        {
            // OP consultation and discharge summary sections are sliced by code: pick the slice for the resource.
            MedicationRequest or MedicationStatement => DocumentSection.Medications,
            AllergyIntolerance => DocumentSection.Allergies,
            ServiceRequest => DocumentSection.InvestigationAdvice,
            Appointment => DocumentSection.FollowUp,
            Hl7.Fhir.Model.Procedure => DocumentSection.Procedure,
            Observation => DocumentSection.PhysicalExamination,
            DiagnosticReport => DocumentSection.Investigations,
            _ => DocumentSection.ChiefComplaints,
        },
    };

    private DocumentBundleBuilder Track(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        resource.Id ??= Guid.NewGuid().ToString();
        if (!_entries.Contains(resource))
        {
            _entries.Add(resource);
        }

        return this;
    }

    private static T EnsureProfile<T>(T resource, string profile) where T : Resource
    {
        resource.Meta ??= new Meta();
        if (!resource.Meta.Profile.Contains(profile))
        {
            resource.Meta.Profile = resource.Meta.Profile.Append(profile).ToList();
        }

        return resource;
    }

    private static ResourceReference Named(Resource resource, string? display)
    {
        var reference = Reference(resource);
        reference.Display = display;
        return reference;
    }

    private static string FullUrl(Resource resource) => "urn:uuid:" + resource.Id;
}

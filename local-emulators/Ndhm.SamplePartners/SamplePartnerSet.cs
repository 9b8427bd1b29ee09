using System.Text.Json;

namespace Ndhm.SamplePartners;

/// <summary>
/// The sample partners: City Hospital (HIP), City Diagnostics (lab HIP), Family Clinic (HIU), Care Pharmacy (HIU) and
/// Tele Clinic (teleconsultation provider).
/// </summary>
public sealed class SamplePartnerSet
{
    public SamplePartnerSet(SamplePartnerSettings settings, PlatformClient platform, Inbox inbox)
    {
        Inbox = inbox;
        Platform = settings.Platform;
        SamplePartner Partner(string name, string display, PartnerKind kind, string facilityType, params string[] roles) =>
            new(name, display, kind, facilityType, roles, settings, platform, inbox);

        Hips =
        [
            new SampleHip(Partner("hospital", "Sample City Hospital", PartnerKind.Hip, "Hospital", "HIP"), DemoPatients.Hospital, inbox),
            new SampleHip(Partner("lab", "Sample Diagnostics Lab", PartnerKind.Hip, "Diagnostic Lab", "HIP"), DemoPatients.Lab, inbox),
        ];
        Hius =
        [
            new SampleHiu(Partner("clinic", "Sample Family Clinic", PartnerKind.Hiu, "Clinic", "HIU"), platform),
            new SampleHiu(Partner("pharmacy", "Sample Care Pharmacy", PartnerKind.Hiu, "Pharmacy", "HIU", "PHARMACY"), platform),
        ];
        Teleclinic = new SampleTeleclinic(Partner("teleclinic", "Sample Tele Clinic", PartnerKind.Provider, "Clinic", "TELECONSULT"), platform);
    }

    public Inbox Inbox { get; }

    public Uri Platform { get; }

    public IReadOnlyList<SampleHip> Hips { get; }

    public IReadOnlyList<SampleHiu> Hius { get; }

    public SampleTeleclinic Teleclinic { get; }

    public bool Ready { get; set; }

    public IReadOnlyList<SamplePartner> All => [.. Hips.Select(h => h.Partner), .. Hius.Select(h => h.Partner), Teleclinic.Partner];

    public SampleHip? Hip(string name) => Hips.FirstOrDefault(h => h.Partner.Name == name);

    public SampleHiu? Hiu(string name) => Hius.FirstOrDefault(h => h.Partner.Name == name);

    public Func<JsonElement, CancellationToken, Task>? HandlerFor(string partner, string path) =>
        Hip(partner)?.Handlers.GetValueOrDefault(path) ?? Hiu(partner)?.Handlers.GetValueOrDefault(path);
}

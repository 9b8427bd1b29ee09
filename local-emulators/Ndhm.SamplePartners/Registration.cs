using System.Net;
using System.Text.Json;

namespace Ndhm.SamplePartners;

/// <summary>
/// Gets the sample partners their credentials the way any partner gets them: a platform admin (here the sandbox
/// operator's token) registers the facility in the registry and the partner with its bridge URL, and hands the
/// partner its client id and secret. A partner that already exists (a sandbox started before) keeps its facility;
/// its bridge URL is brought up to date and its secret rotated, since only the platform's first answer ever shows it.
/// </summary>
public sealed class Registration(PlatformClient platform, SamplePartnerSettings settings, ILogger<Registration> log)
{
    public async Task RegisterAsync(SamplePartnerSet set, CancellationToken ct)
    {
        var state = SampleState.Load(settings.StateFile);
        var admin = await platform.AdminTokenAsync(ct);
        foreach (var partner in set.All)
        {
            await RegisterAsync(partner, admin, ct);
            if (partner.Kind == PartnerKind.Hiu)
            {
                partner.RequesterHprId = await DoctorAsync(partner.ClientId, ClinicDoctor, partner, admin, state, ct);
            }

            await partner.TokenAsync(ct);
            log.LogInformation("{ClientId} ({Roles}) serves {Facility}, bridge {Bridge}", partner.ClientId, string.Join(",", partner.Roles), partner.FacilityId, partner.BridgeUrl);
        }

        await SetUpTeleclinicAsync(set.Teleclinic, admin, state, ct);
        state.Save(settings.StateFile);
    }

    /// <summary>
    /// The teleclinic's doctors, registered and verified at its facility (or the ones of an earlier start, while the
    /// registry still has them verified), then their availability published for the next hours.
    /// </summary>
    private async Task SetUpTeleclinicAsync(SampleTeleclinic clinic, string admin, SampleState state, CancellationToken ct)
    {
        foreach (var doctor in clinic.Doctors)
        {
            doctor.HprId = await DoctorAsync($"{clinic.Partner.ClientId}#{doctor.Key}",
                new DoctorProfile(doctor.Name, [doctor.Specialty], doctor.Languages), clinic.Partner, admin, state, ct);
        }

        clinic.Partner.Doctors = clinic.Doctors.Select(d => d.Describe()).ToList();
        foreach (var (doctor, answer) in await clinic.PublishAvailabilityAsync(null, SampleTeleclinic.StartupAvailabilityHours, ct))
        {
            // An overlap means another start published them meanwhile: what the clinic wanted is there.
            if (answer is { Ok: false, Status: not HttpStatusCode.Conflict }) answer.EnsureOk($"publish {doctor.Name}'s slots");
            log.LogInformation("{Doctor} ({HprId}, {Specialty}) publishes slots: {Status}", doctor.Name, doctor.HprId, doctor.Specialty,
                answer is null ? "already published" : ((int)answer.Status).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private async Task<string> DoctorAsync(string stateKey, DoctorProfile profile, SamplePartner partner, string admin, SampleState state, CancellationToken ct)
    {
        var hprId = state.Doctors.GetValueOrDefault(stateKey) is { } known && await IsVerifiedDoctorAsync(known, admin, ct)
            ? known
            : await RegisterDoctorAsync(profile, partner, admin, ct);
        state.Doctors[stateKey] = hprId;
        return hprId;
    }

    private async Task RegisterAsync(SamplePartner partner, string admin, CancellationToken ct)
    {
        var existing = await platform.SendAsync(HttpMethod.Get, $"api/v1/partners/{partner.ClientId}", admin, null, ct: ct);
        if (existing.Status == HttpStatusCode.NotFound)
        {
            partner.FacilityId = await RegisterFacilityAsync(partner, admin, ct);
            var created = (await platform.SendAsync(HttpMethod.Post, "api/v1/partners", admin, new
            {
                clientId = partner.ClientId,
                name = partner.DisplayName,
                roles = partner.Roles,
                bridgeUrl = partner.BridgeUrl,
                facilities = new[] { partner.FacilityId },
            }, ct: ct)).EnsureOk($"register {partner.ClientId}").Json;
            partner.ClientSecret = created.GetProperty("clientSecret").GetString();
            return;
        }

        var record = existing.EnsureOk($"read {partner.ClientId}").Json;
        partner.FacilityId = record.GetProperty("facilities").EnumerateArray().Select(f => f.GetString()!).FirstOrDefault()
            ?? throw new InvalidOperationException($"{partner.ClientId} exists without a facility; remove it or choose another --client-prefix");
        if (record.TryGetProperty("active", out var active) && active.ValueKind == JsonValueKind.False)
        {
            throw new InvalidOperationException($"{partner.ClientId} was deactivated on the platform; choose another --client-prefix");
        }

        if (record.GetProperty("bridgeUrl").GetString() != partner.BridgeUrl)
        {
            (await platform.SendAsync(HttpMethod.Patch, $"api/v1/partners/{partner.ClientId}", admin, new { bridgeUrl = partner.BridgeUrl }, ct: ct))
                .EnsureOk($"update {partner.ClientId}'s bridge");
        }

        partner.ClientSecret = (await platform.SendAsync(HttpMethod.Post, $"api/v1/partners/{partner.ClientId}/secret", admin, null, ct: ct))
            .EnsureOk($"rotate {partner.ClientId}'s secret").Json.GetProperty("clientSecret").GetString();
    }

    private async Task<string> RegisterFacilityAsync(SamplePartner partner, string admin, CancellationToken ct) =>
        (await platform.SendAsync(HttpMethod.Post, "api/v1/facilities", admin, new
        {
            facilityName = partner.DisplayName,
            facilityType = partner.FacilityType,
            ownership = "Private",
            systemsOfMedicine = new[] { "Modern Medicine" },
            address = new { addressLine = "1 Sample Road, Shivaji Nagar", district = "Pune", stateCode = "27", pincode = "411005" },
            geoLocation = new { latitude = 18.5314, longitude = 73.8446 },
            contact = new { phone = "+91 20 1234 5678" },
        }, ct: ct)).EnsureOk($"register {partner.DisplayName}'s facility").Json.GetProperty("facilityId").GetString()!;

    private async Task<bool> IsVerifiedDoctorAsync(string hprId, string admin, CancellationToken ct)
    {
        var read = await platform.SendAsync(HttpMethod.Get, $"api/v1/professionals/{hprId}", admin, null, ct: ct);
        return read.Ok;
    }

    /// <summary>The HIUs' consent requester.</summary>
    private static readonly DoctorProfile ClinicDoctor = new("Manju Rao", ["General Medicine"], ["English", "Marathi"]);

    private sealed record DoctorProfile(string Name, IReadOnlyList<string> Specialties, IReadOnlyList<string> Languages);

    private async Task<string> RegisterDoctorAsync(DoctorProfile profile, SamplePartner partner, string admin, CancellationToken ct)
    {
        var hprId = (await platform.SendAsync(HttpMethod.Post, "api/v1/professionals", admin, new
        {
            name = profile.Name,
            category = "doctor",
            council = "Maharashtra Medical Council",
            registrationNumber = "MMC/" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(),
            qualifications = new[] { "MBBS", "MD" },
            specialties = profile.Specialties,
            languages = profile.Languages,
            facilityIds = new[] { partner.FacilityId },
        }, ct: ct)).EnsureOk($"register {partner.DisplayName}'s doctor {profile.Name}").Json.GetProperty("hprId").GetString()!;
        (await platform.SendAsync(HttpMethod.Post, $"api/v1/professionals/{hprId}/verify", admin, null, ct: ct)).EnsureOk($"verify {profile.Name}");
        return hprId;
    }
}

/// <summary>What survives a restart besides the platform's own records (no secrets): the HIUs' and the teleclinic's doctors.</summary>
public sealed class SampleState
{
    public Dictionary<string, string> Doctors { get; set; } = [];

    public static SampleState Load(string? file) =>
        file is not null && File.Exists(file) ? JsonSerializer.Deserialize<SampleState>(File.ReadAllText(file), SampleJson.Options) ?? new() : new();

    public void Save(string? file)
    {
        if (file is null) return;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        File.WriteAllText(file, JsonSerializer.Serialize(this, SampleJson.Options));
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Registry.Facilities;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Registry;

/// <summary>
/// The patient's facility search (ABDM M2 <c>USER_INIT_LINK_602</c>, "search for the facility/HIP"): verified, active
/// facilities by name (contains), type and pincode, showing only what a signboard shows (id, name, type, town,
/// district, state, pincode); the registry's full entry (contact, registrar, history) stays with partners and admins.
/// </summary>
public sealed class SearchFacilitiesForPatients(FacilityService facilities)
{
    [Function(nameof(SearchFacilitiesForPatients))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("The patient's search for a verified facility to find records at or to send a prescription to (query: name (contains), type, pincode; name or pincode required; 20 per page).",
        Response = typeof(PatientFacilitySearchResponse), Tag = RegistryHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/facility-search")] HttpRequest req,
        CancellationToken ct)
    {
        var search = FacilitySearch.ForPatient(RegistryHttp.Query(req, "name"), RegistryHttp.Query(req, "type"),
            RegistryHttp.Query(req, "pincode"), RegistryHttp.Query(req, "continuationToken"));
        var page = await facilities.SearchAsync(search, ct);
        return new OkObjectResult(new PatientFacilitySearchResponse(
            page.Items.Select(m => PatientFacilityView.From(m.Facility)).ToList(), page.ContinuationToken));
    }
}

public sealed record PatientFacilityView(string FacilityId, string FacilityName, FacilityType FacilityType, string? City, string District, string StateName, string Pincode)
{
    public static PatientFacilityView From(Facility f) =>
        new(f.Id.Value, f.Name, f.Type, f.Address.City, f.Address.District, f.Address.StateName, f.Address.Pincode);
}

public sealed record PatientFacilitySearchResponse(IReadOnlyList<PatientFacilityView> Facilities, string? ContinuationToken);

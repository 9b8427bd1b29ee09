using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Registry.Professionals;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Registry;

/// <summary>Searches professionals by name (contains), specialty, language, facility, category, verified, status (active by default); paged.</summary>
public sealed class SearchProfessionals(ProfessionalService professionals)
{
    [Function(nameof(SearchProfessionals))]
    [RequireRoles(Roles.PlatformAdmin, Roles.Hip, Roles.Hiu, Roles.PhrApp, Roles.Pharmacy, Roles.Teleconsult, Roles.HealthWorker, Roles.Analytics)]
    [OpenApiOperation("Search professionals (query: name, specialty, language, facilityId, category, verified, status, pageSize, continuationToken).",
        Response = typeof(ProfessionalSearchResponse), Tag = RegistryHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/professionals")] HttpRequest req,
        CancellationToken ct)
    {
        var search = ProfessionalSearch.Create(
            RegistryHttp.Query(req, "name"),
            RegistryHttp.Query(req, "specialty"),
            RegistryHttp.Query(req, "language"),
            RegistryHttp.Query(req, "facilityId"),
            RegistryHttp.Query(req, "category"),
            RegistryHttp.Bool(req, "verified"),
            RegistryHttp.Query(req, "status"),
            RegistryHttp.Int(req, "pageSize"),
            RegistryHttp.Query(req, "continuationToken"));
        var page = await professionals.SearchAsync(search, ct);
        return new OkObjectResult(ProfessionalSearchResponse.From(page));
    }
}

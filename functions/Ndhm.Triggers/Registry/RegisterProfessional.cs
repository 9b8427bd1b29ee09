using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Registry.Professionals;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Registry;

/// <summary>Registers a doctor, nurse or pharmacist (HPR); they start unverified.</summary>
public sealed class RegisterProfessional(ProfessionalService professionals)
{
    [Function(nameof(RegisterProfessional))]
    [RequireRoles(Roles.PlatformAdmin, Roles.Hip)]
    [OpenApiOperation("Register a healthcare professional (HPR); answers the HPR id and address.",
        Request = typeof(ProfessionalInput), Response = typeof(ProfessionalResponse), SuccessStatus = 201, Tag = RegistryHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/professionals")] HttpRequest req,
        CancellationToken ct)
    {
        var registrant = RegistryHttp.Registrant(req);
        var input = await req.ReadJsonAsync<ProfessionalInput>(ct);
        var created = await professionals.RegisterAsync(input, registrant, ct);
        return RegistryHttp.Created(req, created.Value.Id.Value, created, ProfessionalResponse.For(RegistryHttp.Registrant(req)));
    }
}

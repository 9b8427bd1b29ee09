using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>
/// A short-lived token for the call's signalling (<see cref="PostConsultationSignal"/>, <see cref="ListConsultationSignals"/>),
/// audience consultation:&lt;id&gt;, for the consultation's doctor or patient, with the ICE servers the browsers use.
/// </summary>
public sealed class IssueJoinToken(ConsultationService consultations, TelemedicineOptions options)
{
    [Function(nameof(IssueJoinToken))]
    [RequireRoles(Roles.Patient, Roles.Teleconsult)]
    [OpenApiOperation("A participant's short-lived join token for the call's signalling (audience consultation:<id>) and the ICE servers, at the consultation's time.",
        Response = typeof(JoinTokenResponse), Tag = TelemedicineHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/telemedicine/consultations/{appointmentId}/join-token")] HttpRequest req,
        string appointmentId,
        CancellationToken ct)
    {
        var token = await consultations.JoinTokenAsync(TelemedicineHttp.Participant(req), appointmentId, ct);
        req.HttpContext.Response.Headers.CacheControl = "no-store";
        return new OkObjectResult(new JoinTokenResponse(token.Token, token.Audience, token.ExpiresAt, IceServers.Parse(options.IceServers)));
    }
}

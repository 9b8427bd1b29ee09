using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Gateway.Abdm;
using Ndhm.HealthId.PartnerAuth;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.PartnerAuth;

/// <summary>ABDM <c>POST /v0.5/patients/find</c>: 202, then <c>patients/on-find</c> with the patient's id and name, or ABDM-1051.</summary>
public sealed class PatientsFind(AbdmRequestVerifier verifier, PartnerAuthService auth, AbdmCallbacks callbacks)
{
    public const string CallbackPath = "/v0.5/patients/on-find";

    [Function(nameof(PatientsFind))]
    [RequireRoles(Roles.Hiu, Roles.Hip)]
    [OpenApiOperation("ABDM patients/find: does this ABHA address belong to an active patient, answered by POST {bridge}/v0.5/patients/on-find.",
        Request = typeof(PatientFindRequest), SuccessStatus = 202, Tag = "ABDM user auth")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/patients/find")] HttpRequest req, CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(PatientsFind),
            (AbdmInbound<PatientFindRequest> inbound) => (
                Id: PartnerAuthHttp.RequiredId(inbound.Body.Query?.Patient?.Id, "query.patient.id"),
                Requester: PartnerAuthHttp.Requester(inbound, inbound.Body.Query?.Requester)),
            (inbound, query, token) => callbacks.AnswerAsync(inbound.Requester, CallbackPath, inbound.RequestId, async () =>
            {
                var (id, name) = await auth.FindAsync(query.Id, query.Requester, inbound.RequestId, token);
                return new { patient = new { id, name } };
            }, token),
            ct);
}

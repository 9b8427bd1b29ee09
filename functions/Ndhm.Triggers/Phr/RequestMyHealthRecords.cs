using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Ndhm.Consent;
using Ndhm.Core.Security;
using Ndhm.DataTransfer.PatientPulls;
using Ndhm.Triggers.Consent;
using Ndhm.Triggers.DataTransfer;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Phr;

/// <summary>
/// The patient asks for their own records at a HIP where they have linked care contexts (PATIENT token, or the web
/// app's session): a PATRQT consent granted by this act, and a transfer with the platform as the HIU, whose records
/// land in the patient's health record. 202 with the transaction; its status is at <c>statusUrl</c>.
/// </summary>
public sealed class RequestMyHealthRecords(ConsentManager consents, PatientPullService pulls, PublicUrls urls)
{
    [Function(nameof(RequestMyHealthRecords))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Ask for your own records at a HIP where you linked care contexts: a self-requested (PATRQT) consent granted by this " +
        "ask, then a transfer into your health record (202; status at statusUrl; outcome also by SMS). 409 NO_LINKED_CARE_CONTEXTS when nothing is linked there.",
        Request = typeof(PatientPullInput), Response = typeof(PatientPullView), SuccessStatus = 202, Tag = PhrHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/patients/me/health-records/pulls")] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        CancellationToken ct)
    {
        var patient = await ConsentHttp.PatientAsync(req, consents, ct);
        var input = await req.ReadJsonAsync<PatientPullInput>(ct);
        var pull = await pulls.AskAsync(patient, Guid.NewGuid().ToString(), input, ct);
        await DataTransferOrchestration.EnsureStartedAsync(client, pull.TransactionId, ct);
        var statusUrl = urls.BaseUrl.TrimEnd('/') + "/api/v1/health-information/transactions/" + pull.TransactionId;
        return new ObjectResult(new PatientPullView(pull.TransactionId, pull.ConsentRequestId, pull.ConsentArtefactId, pull.HipId, pull.CareContexts,
            pull.Status, statusUrl)) { StatusCode = StatusCodes.Status202Accepted };
    }
}

/// <summary>A pull as opened: the transaction, the consent made for it, the HIP, how many care contexts were asked for, and where to follow it.</summary>
public sealed record PatientPullView(string TransactionId, string ConsentRequestId, string ConsentArtefactId, string HipId, int CareContexts,
    string Status, string StatusUrl);

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Consent;
using Ndhm.Consent.Subscriptions;
using Ndhm.Core.Security;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Consent;

/// <summary>The patient's subscription requests, newest first; <c>?status=REQUESTED</c> awaits a decision, <c>?status=GRANTED</c> lists live subscriptions.</summary>
public sealed class ListMySubscriptionRequests(ConsentManager consents, SubscriptionManager manager)
{
    [Function(nameof(ListMySubscriptionRequests))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("The patient's subscription requests and subscriptions, newest first (status=REQUESTED|GRANTED|DENIED|REVOKED|EXPIRED filters).",
        Response = typeof(SubscriptionRequestList), Tag = ConsentHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/subscription-requests")] HttpRequest req,
        CancellationToken ct)
    {
        var patient = await ConsentHttp.PatientAsync(req, consents, ct);
        var records = await manager.ListAsync(patient, ConsentHttp.Status(req), ct);
        return new OkObjectResult(new SubscriptionRequestList(records.Select(SubscriptionRequestView.From).ToList()));
    }
}

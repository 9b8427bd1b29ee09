using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Gateway.Abdm;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>The asynchronous UHI <c>search</c> of a partner app: the intent in an ABDM envelope, answered with <c>on_search</c>.</summary>
/// <param name="Intent">The same filters as the patient's synchronous search.</param>
public sealed record UhiSearchRequest(string? RequestId, string? Timestamp, SlotSearch? Intent) : IAbdmRequest;

/// <summary>
/// UHI <c>search</c> for a partner app (PHR_APP): accepted with 202 (ABDM envelope: requestId, timestamp, X-CM-ID;
/// idempotent per requestId), answered by <c>POST {bridge}/uhi/on_search</c> with the offers, or an <c>error</c>,
/// through the gateway's callback deliveries (retried, dead-lettered, replayable). The catalogue is public
/// availability, so no patient authorisation is needed for it.
/// </summary>
public sealed class PartnerTeleconsultSearch(AbdmRequestVerifier verifier, BookingService booking, AbdmCallbacks callbacks)
{
    public const string CallbackPath = "/uhi/on_search";

    [Function(nameof(PartnerTeleconsultSearch))]
    [RequireRoles(Roles.PhrApp)]
    [OpenApiOperation("UHI search for a partner app, answered by POST {bridge}/uhi/on_search with the bookable slots (or error).",
        Request = typeof(UhiSearchRequest), SuccessStatus = 202, Tag = TelemedicineHttp.Tag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/telemedicine/partner/search")] HttpRequest req,
        CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(PartnerTeleconsultSearch),
            (AbdmInbound<UhiSearchRequest> inbound, CancellationToken token) => callbacks.AnswerAsync(new AbdmParty(inbound.Caller.Subject), CallbackPath,
                inbound.RequestId, async () => new { catalog = new { offers = await booking.SearchAsync(inbound.Body.Intent ?? new SlotSearch(), token) } },
                token),
            ct);
}

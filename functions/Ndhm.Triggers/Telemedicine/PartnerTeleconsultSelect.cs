using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Gateway.Abdm;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>
/// UHI <c>select</c> for a partner app (PHR_APP): 202, then <c>POST {bridge}/uhi/on_select</c> with the quote (price,
/// hold minutes, cancellation terms), or an <c>error</c>. Like search it reads public availability and holds nothing,
/// so it needs no patient token.
/// </summary>
public sealed class PartnerTeleconsultSelect(AbdmRequestVerifier verifier, PartnerBookingService booking, AbdmCallbacks callbacks)
{
    public const string CallbackPath = "/uhi/on_select";

    [Function(nameof(PartnerTeleconsultSelect))]
    [RequireRoles(Roles.PhrApp)]
    [OpenApiOperation("UHI select for a partner app, answered by POST {bridge}/uhi/on_select with the quote (or error).",
        Request = typeof(UhiSelectRequest), SuccessStatus = 202, Tag = TelemedicineHttp.Tag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/telemedicine/partner/select")] HttpRequest req,
        CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(PartnerTeleconsultSelect),
            (AbdmInbound<UhiSelectRequest> inbound) => inbound.Body.Order
                ?? throw TelemedicineErrors.Invalid(TelemedicineErrors.InvalidBooking, "order is required.", "order"),
            (inbound, order, token) => callbacks.AnswerAsync(new AbdmParty(inbound.Caller.Subject), CallbackPath, inbound.RequestId,
                async () => new { quote = await booking.SelectAsync(order.SlotId, token) }, token),
            ct);
}

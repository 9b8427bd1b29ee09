using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>The other participant's call signals after a cursor (short polling), with the consultation's join token.</summary>
public sealed class ListConsultationSignals(ConsultationSignalling signalling)
{
    [Function(nameof(ListConsultationSignals))]
    [PublicEndpoint("Authorised by the consultation's join token (audience consultation:<id>, its doctor or patient only), which the signalling service checks; platform API tokens are refused with 401.")]
    [OpenApiOperation("The other participant's call signals numbered after the query's after (default 0), oldest first (Authorization: Bearer <join token>).",
        Response = typeof(SignalList), Tag = TelemedicineHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/telemedicine/consultations/{appointmentId}/signals")] HttpRequest req,
        string appointmentId,
        CancellationToken ct)
    {
        var token = TelemedicineHttp.JoinToken(req);
        var afterText = req.Query["after"].ToString();
        // Anything but a plain number is -1, which the service refuses once it has checked the token.
        var after = afterText.Length == 0 ? 0 : long.TryParse(afterText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1;
        var page = await signalling.ReadAsync(appointmentId, token, after, ct);
        req.HttpContext.Response.Headers.CacheControl = "no-store";
        return new OkObjectResult(new SignalList(page.Signals.Select(SignalView.Of).ToList(), page.Cursor));
    }
}

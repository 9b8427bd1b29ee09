using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>A participant relays a WebRTC signal (SDP offer/answer, ICE candidate, bye) to the other, with the consultation's join token.</summary>
public sealed class PostConsultationSignal(ConsultationSignalling signalling)
{
    [Function(nameof(PostConsultationSignal))]
    [PublicEndpoint("Authorised by the consultation's join token (audience consultation:<id>, its doctor or patient only), which the signalling service checks; platform API tokens are refused with 401.")]
    [OpenApiOperation("Relay a call signal to the other participant (Authorization: Bearer <join token>).",
        Request = typeof(SignalRequest), Response = typeof(SignalView), SuccessStatus = 201, Tag = TelemedicineHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/telemedicine/consultations/{appointmentId}/signals")] HttpRequest req,
        string appointmentId,
        CancellationToken ct)
    {
        var token = TelemedicineHttp.JoinToken(req);
        var body = await req.ReadJsonAsync<SignalRequest>(ct);
        var signal = await signalling.PostAsync(appointmentId, token, new SignalInput(body.Type, body.Payload), ct);
        req.HttpContext.Response.Headers.CacheControl = "no-store";
        return new ObjectResult(SignalView.Of(signal)) { StatusCode = StatusCodes.Status201Created };
    }
}

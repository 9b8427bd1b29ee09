using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Login;
using Ndhm.Triggers.HealthId;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.WebApp;

/// <summary>
/// A first-timer's enrolment from the web app: the Aadhaar OTP enrols (as <c>v3/enrollment/enrol/byAadhaar</c> does)
/// and the new patient is signed in with HttpOnly cookies.
/// </summary>
public sealed class EnrolWebSession(AbhaEnrolmentService enrolment, PatientSessions sessions, SensitiveFields fields, TimeProvider time)
{
    [Function(nameof(EnrolWebSession))]
    [PublicEndpoint("Authenticated by the Aadhaar OTP in the body, like v3/enrollment/enrol/byAadhaar.")]
    [OpenApiOperation("Enrol by Aadhaar OTP from the web app and sign in: the session is set as HttpOnly cookies, the answer carries the profile and CSRF token.",
        Request = typeof(EnrolByAadhaarRequest), Response = typeof(WebSessionResponse), Tag = "Web app")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = WebAppAssets.RoutePrefix + "/session/enrol")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<EnrolByAadhaarRequest>(ct);
        var enrolled = await EnrolByAadhaar.Enrol(enrolment, sessions, fields, time, body, assistedBy: null, ct);
        var csrf = WebSessionCookies.Start(req.HttpContext, enrolled.Tokens);
        return new OkObjectResult(new WebSessionResponse(enrolled.Message, enrolled.AbhaProfile, csrf, enrolled.Tokens.ExpiresIn, enrolled.IsNew));
    }
}

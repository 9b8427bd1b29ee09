using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Kyc;
using Ndhm.HealthId.Login;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class AssistedEnrolByBiometric(BiometricEnrolmentService biometric, PatientSessions sessions, SensitiveFields fields,
    TimeProvider time)
{
    [Function(nameof(AssistedEnrolByBiometric))]
    [RequireRoles(Roles.HealthWorker)]
    [OpenApiOperation("Assisted enrolment by Aadhaar biometrics (fingerprint, iris or face) at a verified facility's counter: " +
        "the device's PID block goes to UIDAI e-KYC, never stored; returns the ABHA (isNew false for an existing holder).",
        Request = typeof(EnrolByBiometricRequest), Response = typeof(EnrolmentResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/assisted/enrollment/enrol/byBiometric")] HttpRequest req,
        CancellationToken ct)
    {
        var caller = req.Caller();
        var body = await req.ReadJsonAsync<EnrolByBiometricRequest>(ct);
        var bio = body.AuthData?.Bio ?? throw Ndhm.HealthId.HealthIdErrors.InvalidRequest("authData.bio is required.");
        var aadhaar = AadhaarNumber.Parse(await fields.RequireAsync(bio.Aadhaar, "authData.bio.aadhaar", ct));
        var modality = BiometricErrors.ParseModality(bio.BioType);
        var pid = HealthIdHttp.Require(bio.Pid, "authData.bio.pid");
        var consent = HealthIdHttp.RequireConsent(body.Consent, time);
        var result = await biometric.EnrolAsync(aadhaar, modality, pid, AssistedEnrolByAadhaar.Assisted(caller), consent, ct);
        var tokens = HealthIdHttp.Tokens(await sessions.IssueAsync(result.Account.AbhaNumber, ct));
        return new OkObjectResult(new EnrolmentResponse(result.IsNew ? "Account created successfully" : "This account already exists",
            null, tokens, result.Account.ToProfile(), result.IsNew));
    }
}

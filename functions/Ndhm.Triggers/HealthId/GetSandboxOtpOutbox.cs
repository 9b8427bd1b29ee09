using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Otp;
using Ndhm.Triggers.Http;
using Ndhm.Triggers.Sandbox;

namespace Ndhm.Triggers.HealthId;

public sealed class GetSandboxOtpOutbox(SandboxEnvironment sandbox, IOtpOutbox outbox)
{
    [Function(nameof(GetSandboxOtpOutbox))]
    [PublicEndpoint("Exists only in the local sandbox and only for loopback callers; 404 everywhere else.")]
    [OpenApiOperation("Sandbox only: the OTPs 'sent' to a mobile, newest first.", Response = typeof(OtpOutboxResponse), Tag = "Sandbox")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "sandbox/otp-outbox")] HttpRequest req,
        CancellationToken ct)
    {
        sandbox.EnsureLocalSandbox(req);
        var mobile = MobileNumber.Parse(req.Query["mobile"].FirstOrDefault());
        var messages = await outbox.ReadAsync(mobile, 20, ct);
        return new OkObjectResult(new OtpOutboxResponse(mobile.Digits,
            messages.Select(m => new OtpOutboxEntry(m.TxnId, m.Otp, m.Purpose.ToString(), m.SentAt, m.ExpiresAt)).ToList()));
    }
}

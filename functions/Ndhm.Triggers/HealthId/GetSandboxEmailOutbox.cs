using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Otp;
using Ndhm.Triggers.Http;
using Ndhm.Triggers.Sandbox;

namespace Ndhm.Triggers.HealthId;

public sealed class GetSandboxEmailOutbox(SandboxEnvironment sandbox, IEmailOutbox outbox)
{
    [Function(nameof(GetSandboxEmailOutbox))]
    [PublicEndpoint("Exists only in the local sandbox and only for loopback callers; 404 everywhere else.")]
    [OpenApiOperation("Sandbox only: the OTPs 'sent' to an email address, newest first.", Response = typeof(EmailOutboxResponse), Tag = "Sandbox")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "sandbox/email-outbox")] HttpRequest req,
        CancellationToken ct)
    {
        sandbox.EnsureLocalSandbox(req);
        var email = EmailAddress.Normalise(Ndhm.HealthId.HealthIdErrors.Required(req.Query["email"].FirstOrDefault(), "email"));
        var messages = await outbox.ReadAsync(email, 20, ct);
        return new OkObjectResult(new EmailOutboxResponse(
            messages.Select(m => new OtpOutboxEntry(m.TxnId, m.Otp, m.Purpose.ToString(), m.SentAt, m.ExpiresAt)).ToList()));
    }
}

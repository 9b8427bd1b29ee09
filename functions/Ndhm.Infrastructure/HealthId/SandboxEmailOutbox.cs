using Microsoft.Azure.Cosmos;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Otp;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.HealthId;

/// <summary>One email OTP "sent" in the sandbox (kept an hour). Sandbox only: it holds the code in clear, never the address.</summary>
public sealed record EmailOutboxMessage(string Id, string Pk, string TxnId, string Otp, OtpPurpose Purpose,
    DateTimeOffset SentAt, DateTimeOffset ExpiresAt, int Ttl);

/// <summary>
/// The sandbox's email gateway, like <see cref="SandboxOtpOutbox"/> for SMS: records each email OTP in <c>operations</c>
/// under the partition <c>email-outbox:{keyed hash of the address}</c> (the address itself is not stored), read through
/// <c>GET /api/sandbox/email-outbox?email=</c>. Registered only when the platform runs as the sandbox.
/// </summary>
public sealed class SandboxEmailOutbox(CosmosClient client, CosmosSettings settings, IIdentityHasher hasher, TimeProvider time)
    : IEmailOtpSender, IEmailOutbox
{
    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.Operations.Name);

    public async Task SendAsync(EmailOtpDelivery delivery, CancellationToken ct)
    {
        var pk = await PartitionForAsync(delivery.To, ct).ConfigureAwait(false);
        var message = new EmailOutboxMessage("email-otp-" + Guid.NewGuid().ToString("N"), pk, delivery.TxnId, delivery.Otp, delivery.Purpose,
            time.GetUtcNow(), delivery.ExpiresAt, Ttl: 3600);
        await container.CreateItemAsync(message, new PartitionKey(pk), CosmosDocuments.NoContent, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SentOtp>> ReadAsync(string email, int max, CancellationToken ct)
    {
        var pk = await PartitionForAsync(email, ct).ConfigureAwait(false);
        var query = new QueryDefinition("SELECT * FROM c WHERE c.pk = @pk ORDER BY c.sentAt DESC OFFSET 0 LIMIT @max")
            .WithParameter("@pk", pk).WithParameter("@max", max);
        var list = await CosmosDocuments.QueryAsync<EmailOutboxMessage>(container, query, max: null, pk, ct).ConfigureAwait(false);
        return list.Select(m => new SentOtp(m.TxnId, m.Otp, m.Purpose, m.SentAt, m.ExpiresAt)).ToList();
    }

    private async Task<string> PartitionForAsync(string email, CancellationToken ct) =>
        "email-outbox:" + await hasher.HashEmailAsync(email, ct).ConfigureAwait(false);
}

/// <summary>Outside the sandbox no email gateway is wired yet: email verification answers 503 rather than pretend.</summary>
public sealed class UnconfiguredEmailSender : IEmailOtpSender, IEmailOutbox
{
    public Task SendAsync(EmailOtpDelivery delivery, CancellationToken ct) =>
        throw new DomainException(ErrorKind.DependencyUnavailable, "EMAIL_GATEWAY_UNAVAILABLE", "No email gateway is configured",
            "This deployment has no email gateway adapter; email OTPs cannot be sent.");

    public Task<IReadOnlyList<SentOtp>> ReadAsync(string email, int max, CancellationToken ct) =>
        throw new DomainException(ErrorKind.NotFound, ErrorCodes.NotFound, "Not found.");
}

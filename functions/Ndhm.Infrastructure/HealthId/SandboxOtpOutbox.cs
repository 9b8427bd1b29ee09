using Microsoft.Azure.Cosmos;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Otp;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.HealthId;

/// <summary>One OTP "sent" in the sandbox (kept an hour). Sandbox only: it holds the code in clear.</summary>
public sealed record OtpOutboxMessage(string Id, string Pk, string Mobile, string TxnId, string Otp, OtpPurpose Purpose,
    DateTimeOffset SentAt, DateTimeOffset ExpiresAt, int Ttl);

/// <summary>
/// The sandbox's SMS gateway: records each OTP in the <c>operations</c> container (partition
/// <c>otp-outbox:{mobile}</c>) for test harnesses and developers to read through <c>GET /api/sandbox/otp-outbox</c>.
/// Registered only when the platform runs as the sandbox.
/// </summary>
public sealed class SandboxOtpOutbox(CosmosClient client, CosmosSettings settings, TimeProvider time) : IOtpSender, IOtpOutbox
{
    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.Operations.Name);

    public async Task SendAsync(OtpDelivery delivery, CancellationToken ct)
    {
        var pk = PartitionFor(delivery.To);
        var message = new OtpOutboxMessage("otp-" + Guid.NewGuid().ToString("N"), pk, delivery.To.Digits, delivery.TxnId,
            delivery.Otp, delivery.Purpose, time.GetUtcNow(), delivery.ExpiresAt, Ttl: 3600);
        await container.CreateItemAsync(message, new PartitionKey(pk), CosmosDocuments.NoContent, ct).ConfigureAwait(false);
    }

    /// <summary>The latest OTPs sent to <paramref name="mobile"/>, newest first (a single-partition query).</summary>
    public async Task<IReadOnlyList<SentOtp>> ReadAsync(MobileNumber mobile, int max, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.pk = @pk ORDER BY c.sentAt DESC OFFSET 0 LIMIT @max")
            .WithParameter("@pk", PartitionFor(mobile)).WithParameter("@max", max);
        var list = await CosmosDocuments.QueryAsync<OtpOutboxMessage>(container, query, max: null, PartitionFor(mobile), ct).ConfigureAwait(false);
        return list.Select(m => new SentOtp(m.TxnId, m.Otp, m.Purpose, m.SentAt, m.ExpiresAt)).ToList();
    }

    private static string PartitionFor(MobileNumber mobile) => "otp-outbox:" + mobile.Digits;
}

/// <summary>Outside the sandbox no SMS gateway is wired yet: OTP flows answer 503 rather than pretend.</summary>
public sealed class UnconfiguredOtpSender : IOtpSender
{
    public Task SendAsync(OtpDelivery delivery, CancellationToken ct) =>
        throw new DomainException(ErrorKind.DependencyUnavailable, "OTP_GATEWAY_UNAVAILABLE", "No SMS gateway is configured",
            "This deployment has no SMS gateway adapter; OTPs cannot be sent.");
}

/// <summary>Outside the sandbox there is no outbox: its endpoint answers as if it did not exist.</summary>
public sealed class NoOtpOutbox : IOtpOutbox
{
    public Task<IReadOnlyList<SentOtp>> ReadAsync(MobileNumber mobile, int max, CancellationToken ct) =>
        throw new DomainException(ErrorKind.NotFound, ErrorCodes.NotFound, "Not found.");
}

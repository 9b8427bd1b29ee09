using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.Core.Partners;
using Ndhm.Core.Security;
using Ndhm.Gateway.Abdm;
using Ndhm.HealthId.PartnerAuth;
using Ndhm.Gateway.Callbacks;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Linking;

namespace Ndhm.Infrastructure.Linking;

/// <summary>
/// <see cref="IHipBridge"/> over the gateway's callback machinery (recorded, queued, retried, dead-lettered), with ABDM's
/// headers (<see cref="AbdmCallbacks.HeadersFor"/>: X-CM-ID, X-HIP-ID) and REQUEST-ID equal to the body's requestId
/// (a fresh one for v3 bodies that carry none). A callback is one delivery per answered request and path.
/// </summary>
public sealed class CallbackHipBridge(ICallbackDispatcher callbacks, AbdmCallbacks abdm) : IHipBridge
{
    public Task SendAsync(HipEndpoint hip, string path, object body, string? answersRequestId, CancellationToken ct)
    {
        var json = JsonSerializer.SerializeToElement(body, body.GetType(), NdhmJson.Options);
        var requestId = json.TryGetProperty("requestId", out var id) && id.GetString() is { } own ? own : Guid.NewGuid().ToString();
        var headers = new Dictionary<string, string>(abdm.HeadersFor(AbdmParty.Hip(hip.PartnerId, hip.HipId))) { [AbdmCallbacks.RequestIdHeader] = requestId };
        return callbacks.EnqueueAsync(hip.PartnerId, path, json.GetRawText(), answersRequestId ?? requestId, headers, ct);
    }
}

/// <summary>
/// HIPs by id: an active partner with the HIP role whose client id is the HIP id, else the one active HIP partner
/// serving the facility with that id (the facility's partner index).
/// </summary>
public sealed class PartnerHipDirectory(IPartnerDirectory partners, IFacilityPartners facilityPartners) : IHipDirectory
{
    public async Task<HipEndpoint?> FindAsync(string hipId, CancellationToken ct)
    {
        if (!Ndhm.Core.Ids.DocumentIds.IsSafe(hipId) || hipId.Length > 64) return null;
        if (await partners.FindAsync(hipId, ct) is { Active: true } partner && partner.Roles.Contains(Roles.Hip))
        {
            return new HipEndpoint(Canonical(partner), partner.PartnerId);
        }

        var serving = await facilityPartners.ServingAsync(hipId, Roles.Hip, ct);
        return serving.Count == 1 ? new HipEndpoint(hipId, serving[0].PartnerId) : null;
    }

    public async Task<bool> ServesAsync(string partnerId, string hipId, CancellationToken ct) =>
        partnerId == hipId || (await partners.FindAsync(partnerId, ct))?.Facilities?.Contains(hipId) == true;

    public async Task<HipEndpoint> ActingAsAsync(string partnerId, string? namedFacility, CancellationToken ct)
    {
        if (namedFacility is not null) return new HipEndpoint(namedFacility, partnerId);
        return await partners.FindAsync(partnerId, ct) is { } partner
            ? new HipEndpoint(Canonical(partner), partnerId)
            : new HipEndpoint(partnerId, partnerId);
    }

    /// <summary>A HIP partner's one id: its only facility, else (none, or several and none named) its client id.</summary>
    private static string Canonical(PartnerEndpoint partner) =>
        partner.Facilities is { Count: 1 } only ? only.First() : partner.PartnerId;
}

/// <summary>The patient's identifiers from Health ID: active accounts only, with their preferred ABHA address.</summary>
public sealed class HealthIdPatientDirectory(AbhaAccountLookup lookup) : IPatientDirectory
{
    public async Task<PatientIdentity?> FindAsync(string abhaNumberOrAddress, CancellationToken ct)
    {
        AbhaAccount? account;
        try
        {
            account = (await lookup.FindAsync(abhaNumberOrAddress, ct))?.Value;
        }
        catch (DomainException e) when (e.Kind == ErrorKind.Validation)
        {
            return null;
        }

        if (account is not { Status: AbhaStatus.Active, Name: not null, PreferredAbhaAddress: not null }) return null;
        return new PatientIdentity(account.AbhaNumber.Digits, account.PreferredAbhaAddress.Value, account.MobileVerified ? account.Mobile?.Digits : null,
            account.Name.FullName, account.Gender?.ToString() ?? "U", account.DateOfBirth?.Year);
    }
}

/// <summary>The platform's linking OTP (MEDIATE) through Health ID's OTP rules, to the account's verified mobile.</summary>
public sealed class HealthIdLinkOtp(OtpService otp) : ILinkOtp
{
    public async Task<(string TxnId, DateTimeOffset ExpiresAt, string Hint)> SendAsync(PatientIdentity patient, CancellationToken ct)
    {
        if (patient.Mobile is null || !MobileNumber.TryParse(patient.Mobile, out var mobile, out _))
        {
            throw new DomainException(ErrorKind.Conflict, "MOBILE_NOT_VERIFIED", "The ABHA has no verified mobile for the OTP.");
        }

        var issued = await otp.RequestAsync(OtpPurpose.CareContextLink, mobile, null, AbhaNumber.Parse(patient.AbhaNumber), ct);
        return (issued.TxnId, issued.ExpiresAt, mobile.Masked);
    }

    public Task VerifyAsync(string txnId, string otpValue, string abhaNumber, CancellationToken ct) =>
        otp.VerifyAsync(txnId, OtpPurpose.CareContextLink, otpValue, AbhaNumber.Parse(abhaNumber), ct);
}

/// <summary>One SMS the sandbox "sent" to a patient (kept a day): the deep link after a HIP linked records.</summary>
public sealed record PatientSmsMessage(string Id, string Pk, string Type, string Mobile, string Text, string DeepLink, DateTimeOffset SentAt, int Ttl);

/// <summary>
/// The patient's SMS in the sandbox: recorded in the <c>operations</c> container next to the OTP outbox
/// (partition <c>sms-outbox:&lt;mobile&gt;</c>). Outside the sandbox no SMS gateway is wired yet: the notice is logged
/// (without the number) and skipped, so HIP-initiated linking does not fail for want of an SMS.
/// </summary>
public sealed class PatientSmsNotifier(CosmosClient client, CosmosSettings settings, TimeProvider time, bool sandbox, ILogger<PatientSmsNotifier> log)
    : IPatientNotifier
{
    public async Task NotifyLinkedAsync(PatientIdentity patient, string hipId, int careContexts, string deepLink, CancellationToken ct)
    {
        if (patient.Mobile is null) return;
        if (!sandbox)
        {
            log.LogWarning("No SMS gateway configured: link notice for HIP {HipId} not sent.", hipId);
            return;
        }

        await OutboxAsync(patient.Mobile, $"{careContexts} health record(s) from {hipId} were linked to your ABHA {patient.AbhaAddress}. View: {deepLink}",
            deepLink, ct);
    }

    public async Task SendSmsAsync(string mobile, string text, string deepLink, CancellationToken ct)
    {
        if (!sandbox)
        {
            log.LogWarning("No SMS gateway configured: a HIP's SMS notification was not sent.");
            return;
        }

        await OutboxAsync(mobile, text, deepLink, ct);
    }

    private async Task OutboxAsync(string mobile, string text, string deepLink, CancellationToken ct)
    {
        var pk = "sms-outbox:" + mobile;
        var message = new PatientSmsMessage("sms-" + Guid.NewGuid().ToString("N"), pk, "sms", mobile, text, deepLink, time.GetUtcNow(), 86400);
        await client.GetContainer(settings.Database, CosmosContainers.Operations.Name)
            .CreateItemAsync(message, new PartitionKey(pk), CosmosDocuments.NoContent, ct).ConfigureAwait(false);
    }
}

/// <summary>
/// Linking's view of Health ID's <c>users/auth</c> access tokens: a LINK or KYC_AND_LINK token issued to a HIP is a
/// grant to link for that patient at that HIP; anything else (bad signature, expired, KYC only, a HIU's) is none.
/// </summary>
public sealed class PartnerAuthLinkGrants(Ndhm.HealthId.PartnerAuth.PartnerAuthTokens tokens, IHipDirectory hips) : IPatientAuthLinkGrants
{
    public async Task<PatientAuthLinkGrant?> ValidateAsync(string accessToken, CancellationToken ct)
    {
        Ndhm.HealthId.PartnerAuth.PatientAuthGrant grant;
        try
        {
            grant = await tokens.ValidateAsync(accessToken, ct);
        }
        catch (DomainException)
        {
            return null;
        }

        if (!grant.Purpose.GrantsAccessToken() || grant.RequesterType != Ndhm.HealthId.PartnerAuth.RequesterType.Hip) return null;
        // The requester is the partner itself or the facility it named: the same canonical HIP id add-contexts uses.
        var hip = await hips.ActingAsAsync(grant.PartnerId, grant.RequesterId == grant.PartnerId ? null : grant.RequesterId, ct);
        return new PatientAuthLinkGrant(grant.AbhaNumber.Digits, grant.PatientId, grant.PartnerId, hip.HipId, grant.ExpiresAt);
    }
}

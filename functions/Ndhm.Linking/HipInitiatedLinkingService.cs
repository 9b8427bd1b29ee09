using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ndhm.Core.Errors;

namespace Ndhm.Linking;

/// <summary>What a HIP sends to get a link token (HIECM-LinkTokenService.yml <c>/v3/token/generate-token</c>).</summary>
public sealed record LinkTokenRequest(string? AbhaNumber, string? AbhaAddress, string? Name, string? Gender, int? YearOfBirth);

/// <summary>A HIP's note that a linked care context has new data (<c>/v0.5/links/context/notify</c>).</summary>
/// <param name="Date">When the HIP says the data was created (ABDM <c>notification.date</c>); it names the notice.</param>
public sealed record ContextNotification(string? PatientId, string? PatientReference, string? CareContextReference,
    IReadOnlyList<string>? HiTypes, string? HipId, DateTimeOffset? Date = null);

/// <summary>
/// HIP-initiated linking: a HIP that created a care context gets a link token for the patient (matched by ABHA and
/// demographics), links with add-contexts, and notifies new data. Answers go to the HIP's bridge as callbacks;
/// business refusals (unknown patient, bad token, already linked) are callback errors in ABDM's shape.
/// </summary>
public sealed class HipInitiatedLinkingService(
    ICareContextLinkStore store,
    IPatientDirectory patients,
    IHipBridge bridge,
    IPatientNotifier notifier,
    LinkingAudit audit,
    LinkingOptions options,
    TimeProvider time,
    IPatientAuthLinkGrants authGrants,
    ICareContextDataNotices? dataNotices = null)
{
    public static void Validate(LinkTokenRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.AbhaNumber) && string.IsNullOrWhiteSpace(request.AbhaAddress))
            throw LinkingErrors.Invalid("abhaNumber or abhaAddress is required.");
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200) throw LinkingErrors.Invalid("name is required.");
        if (request.Gender is not ("M" or "F" or "O" or "U")) throw LinkingErrors.Invalid("gender is one of M, F, O, U.");
        if (request.YearOfBirth is not { } y || y < 1900 || y > 2100) throw LinkingErrors.Invalid("yearOfBirth is required.");
    }

    /// <summary>What a HIP can fix in its add-contexts request (the token itself is checked later, answered in the callback).</summary>
    public static void ValidateAddContexts([NotNull] string? accessToken, [NotNull] HipPatient? patient, int maxCareContexts = 20)
    {
        if (string.IsNullOrWhiteSpace(accessToken)) throw LinkingErrors.Invalid("link.accessToken is required.");
        if (patient is null) throw LinkingErrors.Invalid("link.patient is required.");
        PatientLinkingService.ValidatePatient(patient, "link.patient");
        if (patient.CareContexts.Count == 0 || patient.CareContexts.Count > maxCareContexts)
            throw LinkingErrors.Error(ErrorKind.Validation, LinkingErrors.InvalidCareContexts, LinkingErrors.Abdm.InvalidRequest,
                "careContexts are invalid.", $"1 to {maxCareContexts} care contexts.");
    }

    /// <summary>Issues a link token (callback on-generate-token) when the demographics match the ABHA; else a callback error.</summary>
    public async Task GenerateTokenAsync(HipEndpoint hip, string requestId, LinkTokenRequest request, CancellationToken ct)
    {
        Validate(request);
        var key = (request.AbhaNumber ?? request.AbhaAddress)!.Replace("-", "", StringComparison.Ordinal).Trim();
        var patient = await patients.FindAsync(request.AbhaNumber is null ? request.AbhaAddress!.Trim() : key, ct);
        if (patient is null || !Matches(patient, request))
        {
            // The same answer for "no such ABHA" and "demographics differ": a HIP cannot probe who exists.
            await bridge.SendAsync(hip, HipPaths.OnGenerateToken, new OnGenerateTokenMessage(null, null,
                new AbdmError(LinkingErrors.Abdm.PatientNotFound, "No ABHA matches these details."), new RequestReference(requestId)), requestId, ct);
            return;
        }

        var token = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var linkToken = new LinkToken(Hash(token), patient.AbhaNumber, patient.AbhaAddress, hip.HipId, hip.PartnerId, now, now + options.LinkTokenLifetime);
        await audit.RecordAsync(patient.AbhaNumber, "linktoken.issue", hip.HipId, null, ct);
        await store.SaveLinkTokenAsync(linkToken, ct);
        await bridge.SendAsync(hip, HipPaths.OnGenerateToken,
            new OnGenerateTokenMessage(patient.AbhaAddress, token, null, new RequestReference(requestId)), requestId, ct);
    }

    /// <summary>Links the HIP's care contexts with a link token (callback on-add-contexts), then tells the patient by SMS.</summary>
    public async Task AddContextsAsync(HipEndpoint hip, string requestId, string? accessToken, HipPatient? patient, CancellationToken ct)
    {
        ValidateAddContexts(accessToken, patient, options.MaxCareContextsPerLink);

        var now = time.GetUtcNow();
        var token = await FindTokenAsync(accessToken, now, ct);
        if (token is null || token.ExpiresAt <= now || token.PartnerId != hip.PartnerId || token.HipId != hip.HipId)
        {
            await Answer(hip, HipPaths.OnAddContexts, requestId, new AbdmError(LinkingErrors.Abdm.InvalidToken, "Invalid or expired link token."), ct);
            return;
        }

        try
        {
            await audit.RecordAsync(token.AbhaNumber, "links.add", hip.HipId, patient.CareContexts.Count.ToString(CultureInfo.InvariantCulture), ct);
            await LinkWriter.AddAsync(store, token.AbhaNumber, token.AbhaAddress, hip, patient.ReferenceNumber, patient.Display, patient.CareContexts,
                LinkSource.Hip, now, ct);
        }
        catch (DomainException e) when (e.Code == LinkingErrors.AlreadyLinked)
        {
            await Answer(hip, HipPaths.OnAddContexts, requestId, new AbdmError(LinkingErrors.Abdm.AlreadyLinked, e.Detail ?? e.Title), ct);
            return;
        }

        await Answer(hip, HipPaths.OnAddContexts, requestId, null, ct);
        if (await patients.FindAsync(token.AbhaNumber, ct) is { } identity)
        {
            await notifier.NotifyLinkedAsync(identity, hip.HipId, patient.CareContexts.Count, DeepLink(hip.HipId), ct);
        }
    }

    /// <summary>
    /// A link token of ours (opaque, looked up by its hash) or, as ABDM allows, the access token of a <c>users/auth</c>
    /// confirmation for linking (a signed JWT: three dot-separated parts), read as a link token for the same checks.
    /// </summary>
    private async Task<LinkToken?> FindTokenAsync(string accessToken, DateTimeOffset now, CancellationToken ct)
    {
        if (!accessToken.Contains('.', StringComparison.Ordinal)) return await store.FindLinkTokenAsync(Hash(accessToken), ct);
        return await authGrants.ValidateAsync(accessToken, ct) is { } grant
            ? new LinkToken(Hash(accessToken), grant.AbhaNumber, grant.AbhaAddress, grant.HipId, grant.PartnerId, now, grant.ExpiresAt)
            : null;
    }

    /// <summary>
    /// New data in a linked care context: the patient is told (SMS deep link), so are those who hear of new data
    /// (<see cref="ICareContextDataNotices"/>: subscriptions); on-notify acknowledges. A retry of the request tells again
    /// under the same notice key, which the listeners recognise.
    /// </summary>
    public async Task NotifyAsync(HipEndpoint hip, string requestId, ContextNotification notification, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(notification.PatientId)) throw LinkingErrors.Invalid("notification.patient.id is required.");
        if (string.IsNullOrWhiteSpace(notification.CareContextReference))
            throw LinkingErrors.Invalid("notification.careContext.careContextReference is required.");
        var patient = await patients.FindAsync(notification.PatientId.Replace("-", "", StringComparison.Ordinal).Trim(), ct)
            ?? await patients.FindAsync(notification.PatientId.Trim(), ct);
        var links = patient is null ? null : (await store.FindLinksAsync(patient.AbhaNumber, hip.HipId, ct))?.Value;
        if (patient is null || links is null || links.PartnerId != hip.PartnerId || !links.Has(notification.CareContextReference))
        {
            await Answer(hip, HipPaths.OnContextNotify, requestId,
                new AbdmError(LinkingErrors.Abdm.InvalidRequest, "No such care context is linked for this patient at this HIP."), ct);
            return;
        }

        await audit.RecordAsync(patient.AbhaNumber, "links.notify", hip.HipId + "/" + notification.CareContextReference, null, ct);
        await notifier.NotifyLinkedAsync(patient, hip.HipId, 1, DeepLink(hip.HipId), ct);
        if (dataNotices is not null)
        {
            var hiTypes = notification.HiTypes is { Count: > 0 } named ? named : links.Find(notification.CareContextReference)?.HiTypes ?? [];
            await dataNotices.NewDataAsync(new CareContextDataNotice(patient.AbhaNumber, hip.HipId, links.PatientReference, notification.CareContextReference,
                hiTypes, time.GetUtcNow(), notification.Date?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) ?? requestId), ct);
        }

        await Answer(hip, HipPaths.OnContextNotify, requestId, null, ct);
    }

    /// <summary>
    /// ABDM <c>patients/sms/notify</c>: the HIP's SMS to a patient's phone with a deep link to their records (the
    /// patient app's when the HIP names none), then <c>/v0.5/patients/sms/on-notify</c> ACKNOWLEDGED. Bad input is a 400.
    /// </summary>
    public async Task SmsNotifyAsync(HipEndpoint hip, string requestId, SmsNotification notification, CancellationToken ct)
    {
        var digits = new string((notification.PhoneNo ?? "").Where(char.IsAsciiDigit).ToArray());
        if (digits.Length == 12 && digits.StartsWith("91", StringComparison.Ordinal)) digits = digits[2..];
        if (digits.Length != 10 || digits[0] < '6')
            throw LinkingErrors.Invalid("notification.phoneNo must be an Indian mobile number (+91-9999999999).");
        if (string.IsNullOrWhiteSpace(notification.CareContextInfo) || notification.CareContextInfo.Length > 200)
            throw LinkingErrors.Invalid("notification.careContextInfo is required (at most 200 characters).");
        if (notification.ReceiverName is { Length: > 100 }) throw LinkingErrors.Invalid("notification.receiverName is at most 100 characters.");
        if (notification.HipName is { Length: > 100 }) throw LinkingErrors.Invalid("notification.hip.name is at most 100 characters.");
        var link = notification.DeeplinkUrl;
        if (link is not null && (link.Length > 500 || !Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
            throw LinkingErrors.Invalid("notification.deeplinkUrl must be an absolute http(s) URL (at most 500 characters).");
        link ??= DeepLink(hip.HipId);
        var greeting = string.IsNullOrWhiteSpace(notification.ReceiverName) ? "" : $"Dear {notification.ReceiverName.Trim()}, ";
        await notifier.SendSmsAsync(digits,
            $"{greeting}{notification.CareContextInfo.Trim()} at {(string.IsNullOrWhiteSpace(notification.HipName) ? hip.HipId : notification.HipName.Trim())}. View your health records: {link}",
            link, ct);
        await bridge.SendAsync(hip, HipPaths.OnSmsNotify, new SmsOnNotifyMessage(Guid.NewGuid().ToString(), PatientLinkingService.Stamp(time.GetUtcNow()),
            "ACKNOWLEDGED", null, new RequestReference(requestId)), requestId, ct);
    }

    private Task Answer(HipEndpoint hip, string path, string requestId, AbdmError? error, CancellationToken ct) =>
        bridge.SendAsync(hip, path, new AcknowledgementMessage(Guid.NewGuid().ToString(), PatientLinkingService.Stamp(time.GetUtcNow()),
            error is null ? new Acknowledgement("SUCCESS") : null, error, new RequestReference(requestId)), requestId, ct);

    private string DeepLink(string hipId) => DeepLink(options, hipId);

    /// <summary>The patient app's page of the records linked at <paramref name="hipId"/> (what the link SMS points to).</summary>
    internal static string DeepLink(LinkingOptions options, string hipId) => options.PatientAppUrl.TrimEnd('/') + "?hipId=" + Uri.EscapeDataString(hipId);

    private static bool Matches(PatientIdentity patient, LinkTokenRequest request) =>
        string.Equals(Fold(patient.Name), Fold(request.Name!), StringComparison.Ordinal) &&
        patient.Gender == request.Gender && patient.YearOfBirth == request.YearOfBirth;

    private static string Fold(string name) =>
        string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToLowerInvariant();

    /// <summary>SHA-256 of the token: 256 random bits need no key to resist guessing.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

/// <summary><see cref="ILinkedCareContexts"/> for the consent manager, each read on the patient's audit chain.</summary>
public sealed class LinkedCareContextsReader(ICareContextLinkStore store, LinkingAudit audit) : ILinkedCareContexts
{
    public async Task<IReadOnlyList<LinkedCareContext>> ListAsync(string abhaNumber, string hipId, CancellationToken ct)
    {
        var links = (await store.FindLinksAsync(abhaNumber, hipId, ct))?.Value;
        await audit.RecordAsync(abhaNumber, "links.read", hipId, null, ct);
        return links is null ? [] : links.View().ToList();
    }

    public async Task<IReadOnlyList<LinkedCareContext>> ListAllAsync(string abhaNumber, CancellationToken ct)
    {
        var links = await store.ListLinksAsync(abhaNumber, ct);
        await audit.RecordAsync(abhaNumber, "links.read", "all", null, ct);
        return links.SelectMany(l => l.View()).ToList();
    }
}

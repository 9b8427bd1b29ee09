using System.Globalization;
using Ndhm.Core.Errors;
using Ndhm.Core.Abdm;

namespace Ndhm.Linking;

/// <summary>
/// Patient-initiated discovery and linking, and the patient's own view of their links: the patient's side calls
/// the Start/Init/Confirm/List/Unlink methods; the HIP's answers (on-discover, on-init, on-confirm) arrive through
/// the On* methods, each checked to come from the partner the request went to.
/// </summary>
public sealed class PatientLinkingService(
    ICareContextLinkStore store,
    IHipDirectory hips,
    IPatientDirectory patients,
    IHipBridge bridge,
    ILinkOtp platformOtp,
    LinkingAudit audit,
    LinkingOptions options,
    TimeProvider time)
{
    public async Task<DiscoverySession> StartDiscoveryAsync(string abhaNumber, string? hipId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(hipId)) throw LinkingErrors.Invalid("hipId is required.");
        var hip = await hips.FindAsync(hipId.Trim(), ct) ?? throw LinkingErrors.NoSuchHip();
        var patient = await RequirePatientAsync(abhaNumber, ct);
        var now = time.GetUtcNow();
        var session = new DiscoverySession
        {
            TransactionId = Guid.NewGuid().ToString(), AbhaNumber = patient.AbhaNumber, AbhaAddress = patient.AbhaAddress,
            HipId = hip.HipId, PartnerId = hip.PartnerId, RequestId = Guid.NewGuid().ToString(), CreatedAt = now,
            DeadlineAt = now + options.DiscoveryTimeout,
        };
        if (!await store.TryOpenDiscoveryAsync(session, now, ct))
        {
            throw LinkingErrors.Error(ErrorKind.Conflict, LinkingErrors.DiscoveryInProgress, LinkingErrors.Abdm.DuplicateDiscovery,
                "A discovery at this HIP is already in progress.", "Wait for its result (at most the discovery timeout) and try again.");
        }

        await audit.RecordAsync(patient.AbhaNumber, "discovery.start", session.TransactionId, hip.HipId, ct);
        await bridge.SendAsync(hip, HipPaths.Discover, new DiscoverMessage(session.RequestId, Stamp(now), session.TransactionId,
            new DiscoverPatient(patient.AbhaAddress, Identifiers(patient), [], patient.Name, patient.Gender, patient.YearOfBirth)), null, ct);
        return session;
    }

    public async Task<DiscoverySession> GetDiscoveryAsync(string abhaNumber, string transactionId, CancellationToken ct)
    {
        var session = await store.FindDiscoveryAsync(transactionId, ct) is { Value: var s } && s.AbhaNumber == abhaNumber
            ? s
            : throw LinkingErrors.NoSuchDiscovery();
        await audit.RecordAsync(abhaNumber, "discovery.read", transactionId, session.StatusAt(time.GetUtcNow()).ToString(), ct);
        return session;
    }

    /// <summary>The HIP's on-discover. A partner other than the one asked, an unknown or closed transaction: NotFound.</summary>
    public async Task OnDiscoverAsync(string partnerId, string? transactionId, string? respRequestId, HipPatient? patient, AbdmError? error,
        CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(transactionId)) throw LinkingErrors.Invalid("transactionId is required.");
        var found = await store.FindDiscoveryAsync(transactionId, ct);
        if (found is not { Value: var session } || session.PartnerId != partnerId ||
            (respRequestId is not null && respRequestId != session.RequestId))
        {
            throw LinkingErrors.NoSuchDiscovery();
        }

        if (patient is not null && error is null) ValidatePatient(patient, "patient");
        var now = time.GetUtcNow();
        var answered = session.Answer(patient, error, now);
        await audit.RecordAsync(session.AbhaNumber, "discovery.result", session.TransactionId, answered.Status.ToString(), ct);
        await store.ReplaceDiscoveryAsync(answered, found.ETag, ct);
        await store.CloseDiscoveryAsync(answered, ct);
    }

    /// <summary>Starts linking the chosen care contexts of a completed discovery (1 to the limit, all discovered, none linked yet).</summary>
    public async Task<LinkRequest> InitLinkAsync(string abhaNumber, string? transactionId, IReadOnlyList<string>? careContexts, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(transactionId)) throw LinkingErrors.Invalid("transactionId is required.");
        var chosen = (careContexts ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).Distinct(StringComparer.Ordinal).ToList();
        if (chosen.Count == 0 || chosen.Count > options.MaxCareContextsPerLink || chosen.Count != (careContexts?.Count ?? 0))
        {
            throw LinkingErrors.Error(ErrorKind.Validation, LinkingErrors.InvalidCareContexts, LinkingErrors.Abdm.InvalidRequest,
                "careContexts are invalid.", $"1 to {options.MaxCareContextsPerLink} distinct care context reference numbers.");
        }

        var session = await GetDiscoveryAsync(abhaNumber, transactionId, ct);
        var now = time.GetUtcNow();
        if (session.StatusAt(now) != DiscoveryStatus.Found || session.Patient is null || now > session.CreatedAt + options.DiscoveryLifetime)
        {
            throw LinkingErrors.Error(ErrorKind.Conflict, LinkingErrors.DiscoveryNotReady, LinkingErrors.Abdm.InvalidRequest,
                "This discovery found nothing to link.", "Link only from a discovery that found care contexts, within its lifetime.");
        }

        var discovered = session.Patient.CareContexts.ToDictionary(c => c.ReferenceNumber, StringComparer.Ordinal);
        var unknown = chosen.Where(c => !discovered.ContainsKey(c)).ToList();
        if (unknown.Count > 0)
        {
            throw LinkingErrors.Error(ErrorKind.Validation, LinkingErrors.CareContextsNotDiscovered, LinkingErrors.Abdm.InvalidRequest,
                "Care contexts not discovered.", $"Not found by this discovery: {string.Join(", ", unknown)}.");
        }

        if (await store.FindLinksAsync(abhaNumber, session.HipId, ct) is { Value: var links } && chosen.FirstOrDefault(links.Has) is { } taken)
        {
            throw LinkingErrors.AlreadyLinkedError(taken);
        }

        var request = new LinkRequest
        {
            Id = Guid.NewGuid().ToString(), AbhaNumber = abhaNumber, AbhaAddress = session.AbhaAddress, HipId = session.HipId,
            PartnerId = session.PartnerId, TransactionId = session.TransactionId, PatientReference = session.Patient.ReferenceNumber,
            CareContexts = chosen.Select(c => discovered[c]).ToList(), InitRequestId = Guid.NewGuid().ToString(), CreatedAt = now,
        };
        await audit.RecordAsync(abhaNumber, "link.init", request.Id, request.HipId, ct);
        await store.CreateLinkRequestAsync(request, ct);
        await bridge.SendAsync(new HipEndpoint(request.HipId, request.PartnerId), HipPaths.LinkInit, new LinkInitMessage(request.InitRequestId,
            Stamp(now), request.TransactionId, new LinkInitPatient(request.AbhaAddress, request.PatientReference,
                request.CareContexts.Select(c => new CareContextReference(c.ReferenceNumber)).ToList())), null, ct);
        return request;
    }

    public async Task<LinkRequest> GetLinkRequestAsync(string abhaNumber, string linkRequestId, CancellationToken ct)
    {
        var request = (await store.FindLinkRequestAsync(abhaNumber, linkRequestId, ct))?.Value ?? throw LinkingErrors.NoSuchLinkRequest();
        await audit.RecordAsync(abhaNumber, "link.read", request.Id, request.Status.ToString(), ct);
        return request;
    }

    /// <summary>The HIP's on-init: its link reference and how the OTP reaches the patient (or an error).</summary>
    public async Task OnInitAsync(string partnerId, string? respRequestId, string? linkRefNumber, string? authenticationType,
        string? communicationMedium, string? communicationHint, DateTimeOffset? communicationExpiry, AbdmError? error, CancellationToken ct)
    {
        var (found, request) = await RequireOwnRequestAsync(partnerId, respRequestId, ct);
        var now = time.GetUtcNow();
        LinkRequest next;
        if (error is not null || string.IsNullOrWhiteSpace(linkRefNumber))
        {
            next = request.Refused(error ?? new AbdmError(LinkingErrors.Abdm.InvalidRequest, "The HIP gave no link reference."), now);
        }
        else
        {
            if (linkRefNumber.Length > 128) throw LinkingErrors.Invalid("link.referenceNumber is at most 128 characters.");
            var mediated = options.PlatformOtpHips.Contains(request.HipId) ||
                string.Equals(authenticationType, "MEDIATE", StringComparison.OrdinalIgnoreCase) ||
                string.Equals(authenticationType, "MEDIATED", StringComparison.OrdinalIgnoreCase);
            if (mediated)
            {
                var patient = await RequirePatientAsync(request.AbhaNumber, ct);
                var (txnId, expiresAt, hint) = await platformOtp.SendAsync(patient, ct);
                next = request.ReferenceIssued(linkRefNumber, LinkAuthentication.Mediate, "MOBILE", hint, expiresAt, txnId, now);
            }
            else
            {
                var expiry = communicationExpiry is { } e && e > now && e <= now + options.OtpLifetime ? e : now + options.OtpLifetime;
                next = request.ReferenceIssued(linkRefNumber, LinkAuthentication.Direct, communicationMedium, communicationHint, expiry, null, now);
            }
        }

        await audit.RecordAsync(request.AbhaNumber, "link.reference", request.Id, next.Status.ToString(), ct);
        await store.ReplaceLinkRequestAsync(next, found.ETag, ct);
    }

    /// <summary>The patient's OTP for a link reference: checked here (MEDIATE) or passed to the HIP (DIRECT) with link/confirm.</summary>
    public async Task<LinkRequest> ConfirmAsync(string abhaNumber, string linkRefNumber, string? otp, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(otp) || otp.Length > 64) throw LinkingErrors.Invalid("otp is required.");
        var candidates = await store.FindLinkRequestsByReferenceAsync(abhaNumber, linkRefNumber, ct);
        var found = candidates.FirstOrDefault(c => c.Value.Status == LinkRequestStatus.AwaitingOtp) ?? candidates.FirstOrDefault()
            ?? throw LinkingErrors.NoSuchLinkRequest();
        var request = found.Value;
        var now = time.GetUtcNow();
        request.EnsureAwaitingOtp(now);
        if (request.Authentication == LinkAuthentication.Mediate)
        {
            try
            {
                await platformOtp.VerifyAsync(request.PlatformOtpTxnId!, otp, abhaNumber, ct);
            }
            catch (DomainException e) when (e.Kind is ErrorKind.Validation or ErrorKind.Unauthenticated or ErrorKind.Forbidden)
            {
                await audit.RecordAsync(abhaNumber, "link.confirm", request.Id, "OTP_INVALID", ct);
                throw LinkingErrors.Error(ErrorKind.Validation, LinkingErrors.OtpInvalid, LinkingErrors.Abdm.OtpInvalid,
                    "The OTP is wrong.", e.Detail);
            }
            catch (DomainException e) when (e.Kind is ErrorKind.Gone)
            {
                throw LinkingErrors.Error(ErrorKind.Gone, LinkingErrors.OtpExpired, LinkingErrors.Abdm.OtpExpired, "The OTP has expired.", e.Detail);
            }
        }

        var confirming = request.ConfirmSent(Guid.NewGuid().ToString(), now);
        await audit.RecordAsync(abhaNumber, "link.confirm", request.Id, "SENT", ct);
        await store.ReplaceLinkRequestAsync(confirming, found.ETag, ct);
        await bridge.SendAsync(new HipEndpoint(request.HipId, request.PartnerId), HipPaths.LinkConfirm,
            new LinkConfirmMessage(confirming.ConfirmRequestId!, Stamp(now), new LinkConfirmation(request.LinkRefNumber!, otp)), null, ct);
        return confirming;
    }

    /// <summary>
    /// The HIP's on-confirm: the care contexts it linked, which must be among those requested. They are linked to the
    /// patient's ABHA (ABDM-1056 when one already is).
    /// </summary>
    public async Task OnConfirmAsync(string partnerId, string? respRequestId, HipPatient? patient, AbdmError? error, CancellationToken ct)
    {
        var (found, request) = await RequireOwnRequestAsync(partnerId, respRequestId, ct);
        var now = time.GetUtcNow();
        if (error is not null || patient is null)
        {
            var refused = request.Refused(error ?? new AbdmError(LinkingErrors.Abdm.InvalidRequest, "The HIP linked nothing."), now);
            await audit.RecordAsync(request.AbhaNumber, "link.confirm.result", request.Id, refused.Error!.Code, ct);
            await store.ReplaceLinkRequestAsync(refused, found.ETag, ct);
            return;
        }

        ValidatePatient(patient, "patient");
        var requested = request.CareContexts.ToDictionary(c => c.ReferenceNumber, StringComparer.Ordinal);
        var extra = patient.CareContexts.Where(c => !requested.ContainsKey(c.ReferenceNumber)).Select(c => c.ReferenceNumber).ToList();
        if (extra.Count > 0)
        {
            throw LinkingErrors.Error(ErrorKind.Validation, LinkingErrors.CareContextsNotDiscovered, LinkingErrors.Abdm.InvalidRequest,
                "Care contexts not requested.", $"Not part of this link request: {string.Join(", ", extra)}.");
        }

        var linked = patient.CareContexts.Select(c => c with { HiTypes = c.HiTypes ?? requested[c.ReferenceNumber].HiTypes }).ToList();
        var completed = request.Completed(linked, now);
        await audit.RecordAsync(request.AbhaNumber, "link.confirm.result", request.Id, "LINKED", ct);
        await LinkWriter.AddAsync(store, request.AbhaNumber, request.AbhaAddress, new HipEndpoint(request.HipId, request.PartnerId),
            patient.ReferenceNumber, patient.Display, linked, LinkSource.Patient, now, ct);
        await store.ReplaceLinkRequestAsync(completed, found.ETag, ct);
    }

    public async Task<IReadOnlyList<CareContextLinks>> ListLinksAsync(string abhaNumber, CancellationToken ct)
    {
        var links = await store.ListLinksAsync(abhaNumber, ct);
        await audit.RecordAsync(abhaNumber, "links.read", "all", links.Sum(l => l.CareContexts.Count).ToString(CultureInfo.InvariantCulture), ct);
        return links;
    }

    /// <summary>Unlinks one care context; the HIP is told (webhook <see cref="HipPaths.Unlinked"/>), unless the platform is its HIP.</summary>
    public async Task UnlinkAsync(string abhaNumber, string hipId, string careContextReference, CancellationToken ct)
    {
        var found = await store.FindLinksAsync(abhaNumber, hipId, ct);
        if (found is null) throw LinkingErrors.Error(ErrorKind.NotFound, LinkingErrors.LinkNotFound, LinkingErrors.Abdm.InvalidRequest,
            "No such linked care context.", "Nothing is linked at this HIP.");
        var removed = found.Value.Find(careContextReference);
        var after = found.Value.Remove(careContextReference);
        await audit.RecordAsync(abhaNumber, "link.remove", hipId + "/" + careContextReference, null, ct);
        await store.SaveLinksAsync(after, found.ETag, ct);
        if (removed?.Source == LinkSource.Platform) return; // the platform is its HIP: no bridge to tell
        var now = time.GetUtcNow();
        await bridge.SendAsync(new HipEndpoint(after.HipId, after.PartnerId), HipPaths.Unlinked,
            new UnlinkedMessage(Guid.NewGuid().ToString(), Stamp(now), after.AbhaAddress, after.PatientReference, careContextReference), null, ct);
    }

    private async Task<(Ndhm.Core.Concurrency.Versioned<LinkRequest> Found, LinkRequest Request)> RequireOwnRequestAsync(string partnerId,
        string? respRequestId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(respRequestId)) throw LinkingErrors.Invalid("resp.requestId is required.");
        var found = await store.FindLinkRequestByOutboundRequestAsync(respRequestId, ct);
        return found is not null && found.Value.PartnerId == partnerId ? (found, found.Value) : throw LinkingErrors.NoSuchLinkRequest();
    }

    private async Task<PatientIdentity> RequirePatientAsync(string abhaNumber, CancellationToken ct) =>
        await patients.FindAsync(abhaNumber, ct) ?? throw LinkingErrors.NoSuchPatient();

    internal static void ValidatePatient(HipPatient patient, string field)
    {
        if (string.IsNullOrWhiteSpace(patient.ReferenceNumber) || patient.ReferenceNumber.Length > 128)
            throw LinkingErrors.Invalid($"{field}.referenceNumber is required (at most 128 characters).");
        if (string.IsNullOrWhiteSpace(patient.Display) || patient.Display.Length > 256)
            throw LinkingErrors.Invalid($"{field}.display is required (at most 256 characters).");
        if (patient.CareContexts is null || patient.CareContexts.Count > 200)
            throw LinkingErrors.Invalid($"{field}.careContexts is required (at most 200).");
        foreach (var c in patient.CareContexts)
        {
            if (c is null || string.IsNullOrWhiteSpace(c.ReferenceNumber) || c.ReferenceNumber.Length > 128 || string.IsNullOrWhiteSpace(c.Display) || c.Display.Length > 256)
                throw LinkingErrors.Invalid($"{field}.careContexts[]: referenceNumber (≤ 128) and display (≤ 256) are required.");
        }

        if (patient.CareContexts.Select(c => c.ReferenceNumber).Distinct(StringComparer.Ordinal).Count() != patient.CareContexts.Count)
            throw LinkingErrors.Invalid($"{field}.careContexts has duplicate reference numbers.");
    }

    private static IReadOnlyList<AbdmIdentifier> Identifiers(PatientIdentity p)
    {
        var ids = new List<AbdmIdentifier> { new("NDHM_HEALTH_NUMBER", p.FormattedAbhaNumber), new("HEALTH_ID", p.AbhaAddress) };
        if (p.Mobile is not null) ids.Add(new AbdmIdentifier("MOBILE", p.Mobile));
        return ids;
    }

    internal static string Stamp(DateTimeOffset t) => AbdmTimestamp.Of(t);
}

/// <summary>The one way care contexts are added to a patient's links at a HIP (patient- and HIP-initiated alike).</summary>
internal static class LinkWriter
{
    public static async Task<CareContextLinks> AddAsync(ICareContextLinkStore store, string abhaNumber, string abhaAddress, HipEndpoint hip,
        string patientReference, string patientDisplay, IReadOnlyList<CareContext> contexts, LinkSource source, DateTimeOffset now,
        CancellationToken ct)
    {
        var found = await store.FindLinksAsync(abhaNumber, hip.HipId, ct);
        var current = found?.Value ?? new CareContextLinks
        {
            AbhaNumber = abhaNumber, AbhaAddress = abhaAddress, HipId = hip.HipId, PartnerId = hip.PartnerId,
            PatientReference = patientReference, PatientDisplay = patientDisplay,
        };
        var next = current.Add(contexts, source, now) with { PatientReference = patientReference, PatientDisplay = patientDisplay };
        await store.SaveLinksAsync(next, found?.ETag, ct);
        return next;
    }
}

using Ndhm.Consent;
using Ndhm.Core.Errors;
using Ndhm.Fidelius;

namespace Ndhm.DataTransfer.PatientPulls;

/// <summary>The patient's ask (<c>POST /v1/phr/pulls</c>): the HIP, optionally the date range and HI types (default: everything).</summary>
public sealed record PatientPullInput(string? HipId, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<string?>? HiTypes);

/// <summary>A pull as opened: the transaction (its status at <c>GET /v1/health-information/transactions/{id}</c>) and the consent.</summary>
public sealed record PatientPull(string TransactionId, string ConsentRequestId, string ConsentArtefactId, string HipId, int CareContexts, string Status);

/// <summary>
/// The platform as the patient's own HIU (issue #13, PHR): the patient asks for their records at a HIP where they have
/// linked care contexts; a PATRQT consent is made and granted by that act (audited), fresh Fidelius key material is
/// made for the transfer and kept (encrypted, until the transfer closes), and the transaction opens as
/// <see cref="PlatformHiu"/> with the platform's data-push endpoint. The HIPs' pages land in the PHR (the trigger runs
/// the HIU-side receiver); <see cref="ClosedAsync"/> drops the key and tells the patient.
/// </summary>
public sealed class PatientPullService(
    ConsentManager consents,
    DataTransferService transfers,
    IPullPatients patients,
    IPullLinkedCareContexts links,
    IPullKeyVault keys,
    PatientPullOptions options,
    TimeProvider time)
{
    public const string InvalidPull = "INVALID_PULL";
    public const string NothingLinked = "NO_LINKED_CARE_CONTEXTS";

    public async Task<PatientPull> AskAsync(PatientContext patient, string requestId, PatientPullInput? input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var hipId = input?.HipId?.Trim();
        if (string.IsNullOrEmpty(hipId) || hipId.Length > 256) throw Invalid("hipId is required (at most 256 characters).", "hipId");
        var hiTypes = HiTypesOf(input!.HiTypes);
        var now = time.GetUtcNow();
        var range = new DateRange((input.From ?? options.EarliestFrom).ToUniversalTime(), (input.To ?? now).ToUniversalTime());
        if (range.From > range.To) throw Invalid("from must not be after to.", "from");
        var who = await patients.FindAsync(patient.PatientNumber, ct)
                  ?? throw new DomainException(ErrorKind.NotFound, ErrorCodes.NotFound, "No live ABHA account for this patient.");
        var linked = await links.ListAsync(patient.PatientNumber, hipId, ct);
        if (linked.Count == 0)
            throw new DomainException(ErrorKind.Conflict, NothingLinked, "No care contexts are linked to you at this HIP.",
                "Link your records at the HIP first (discover and link), then ask for them.");

        var consent = await consents.CreateSelfRequestedAsync(patient, who.AbhaAddress, requestId, new GrantedHip(hipId, linked), hiTypes, range,
            now + options.KeepRecordsFor, ct);
        var artefact = consent.Artefacts.FirstOrDefault()
                       ?? throw new DomainException(ErrorKind.Conflict, DataTransferErrors.ConsentNotGranted, "The self-requested consent was not granted.");
        var transactionId = DataTransferService.TransactionIdFor(PlatformHiu.PartnerId, requestId);
        // Kept before the transaction exists: a HIP can only push once it opened, and must find the key then.
        var material = await keys.KeepAsync(transactionId, patient.PatientNumber, FideliusKeyMaterial.Generate(time, options.KeyLifetime), ct);
        var transaction = await transfers.RequestAsync(PlatformHiu.PartnerId, requestId,
            new HiRequestInput(new HiConsentRef(artefact.Id), new HiDateRange(range.From, range.To), options.DataPushUrl, material.ToAbdm()), ct);
        return new PatientPull(transaction.Id, consent.Id, artefact.Id, hipId, transaction.CareContexts.Count, TransferStatuses.Name(transaction.Status));
    }

    /// <summary>
    /// A pull's transaction closed: its private key is deleted (nothing more will be decrypted) and the patient is told
    /// the outcome. Idempotent: a repeat deletes nothing more; the notifier is called per closing of the transaction.
    /// </summary>
    public static async Task ClosedAsync(HiTransaction transaction, IPullKeyVault keys, IPullPatients patients, IPullOutcomeNotifier notifier,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        await keys.DeleteAsync(transaction.Id, ct);
        if (await patients.FindAsync(transaction.PatientNumber, ct) is not { } patient) return;
        await notifier.TellAsync(patient, new PullOutcome(transaction.Id, transaction.Hips.FirstOrDefault()?.HipId ?? "",
            TransferStatuses.Name(transaction.Status), transaction.CareContexts.Count(c => c.Status == CareContextStatus.Delivered),
            transaction.CareContexts.Count), ct);
    }

    private static IReadOnlyList<string> HiTypesOf(IReadOnlyList<string?>? asked)
    {
        if (asked is null || asked.Count == 0) return ConsentCodes.HiTypes;
        var types = new List<string>();
        foreach (var type in asked)
        {
            var known = ConsentCodes.HiTypes.FirstOrDefault(t => string.Equals(t, type?.Trim(), StringComparison.OrdinalIgnoreCase))
                        ?? throw Invalid($"hiTypes must be among {string.Join(", ", ConsentCodes.HiTypes)}.", "hiTypes");
            if (!types.Contains(known)) types.Add(known);
        }

        return types;
    }

    private static DomainException Invalid(string detail, string field) =>
        new(ErrorKind.Validation, InvalidPull, "The pull request is not valid.", detail, new Dictionary<string, object?> { ["field"] = field });
}

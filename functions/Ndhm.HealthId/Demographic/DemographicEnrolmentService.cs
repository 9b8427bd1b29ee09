using System.Globalization;
using System.Text.Json;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Consent;
using Ndhm.HealthId.Documents;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Verification;

namespace Ndhm.HealthId.Demographic;

/// <summary>
/// Offline demographic enrolment for government programmes (ABDM M1 <c>CRT_ABHA_301</c>-<c>309</c>): a registered health
/// worker of a verified facility uploads a batch collected at an outreach camp without connectivity. Each record is
/// checked, deduplicated against every account (one person, one ABHA) and against the batch, by the exact keyed hash and
/// beyond exact (<see cref="DemographicMatch"/>: a keyed blocking hash, then the candidates compared after decryption), and either
/// accepted (an ABHA is created, KYC UNVERIFIED, standing on the worker's attestation) or rejected with a reason code.
/// The upload is idempotent: the batch id (unique per facility) keys one stored result, a re-upload of the same records
/// returns it, and a batch interrupted half-way is finished by the next upload without creating any record twice
/// (each accepted record's claim names its batch and record).
/// </summary>
public sealed class DemographicEnrolmentService(
    IDemographicBatchStore batches,
    IDemographicClaims claims,
    IFacilityStanding facilities,
    AbhaNumberAllocator allocator,
    IAbhaAccountStore accounts,
    IIdentityHasher hasher,
    HealthIdAudit audit,
    TimeProvider time)
{
    /// <summary>
    /// Records per upload, processed in the request (about 8 store operations each): larger camps split their upload.
    /// A queue-driven variant for larger batches is not built.
    /// </summary>
    public const int MaxRecords = 100;

    public const string EnrolAction = "abha.enrol.demographic";
    public const int MaxIdLength = 64;

    /// <summary>An upload still PROCESSING after this long is taken to have died and is finished by the next upload.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(5);

    /// <summary>How old a camp's record may be when uploaded (a camp without connectivity uploads within weeks).</summary>
    public static readonly TimeSpan MaxRecordAge = TimeSpan.FromDays(90);

    private static readonly JsonSerializerOptions CanonicalJson = new(JsonSerializerDefaults.Web);

    public async Task<DemographicBatchOutcome> SubmitAsync(AssistedEnrolment worker, DemographicBatchSubmission submission,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(submission);
        var batchId = CheckId(submission.BatchId, "batchId", DemographicErrors.BatchIdInvalid);
        var programme = CheckProgramme(submission.Programme);
        var records = CheckRecords(submission.Records);
        if (string.IsNullOrWhiteSpace(worker.FacilityId) || !await facilities.IsVerifiedAndActiveAsync(worker.FacilityId, ct).ConfigureAwait(false))
            throw new DomainException(ErrorKind.Forbidden, DocumentErrors.FacilityNotVerified, "Facility not verified",
                "Demographic enrolment is done by health workers of a verified, active facility (the token's facilityId claim).");
        var facilityId = worker.FacilityId;

        var contentHash = await hasher.HashBatchContentAsync(
            JsonSerializer.Serialize(new { programme, records }, CanonicalJson), ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var fresh = new DemographicBatch
        {
            FacilityId = facilityId,
            BatchId = batchId,
            Programme = programme,
            WorkerId = worker.WorkerId,
            ContentHash = contentHash,
            Received = records.Count,
            Status = DemographicBatchStatus.Processing,
            StartedAt = now,
        };

        string etag;
        var existing = await batches.FindAsync(facilityId, batchId, ct).ConfigureAwait(false);
        if (existing is null)
        {
            var created = await batches.TryCreateAsync(fresh, ct).ConfigureAwait(false);
            if (created is null)
                throw InProgress();
            etag = created;
        }
        else
        {
            if (!string.Equals(existing.Value.ContentHash, contentHash, StringComparison.Ordinal))
                throw new DomainException(ErrorKind.Conflict, DemographicErrors.BatchIdReused, "Batch id already used",
                    "This facility already uploaded a batch with this id and other records; give a new batch a new id.");
            if (existing.Value.Status == DemographicBatchStatus.Completed)
                return new DemographicBatchOutcome(existing.Value, Replayed: true);
            if (now - existing.Value.StartedAt < StaleAfter)
                throw InProgress();
            // The upload that started it died: take it over (If-Match, so only one upload resumes it).
            etag = await batches.ReplaceAsync(fresh with { StartedAt = now }, existing.ETag, ct).ConfigureAwait(false);
        }

        try
        {
            var results = new List<DemographicRecordResult>(records.Count);
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            var earlier = new List<(string RecordId, DemographicPerson Person)>();
            foreach (var record in records)
                results.Add(await ProcessAsync(fresh, record, seen, earlier, ct).ConfigureAwait(false));
            var done = fresh with { Status = DemographicBatchStatus.Completed, CompletedAt = time.GetUtcNow(), Results = results };
            await batches.ReplaceAsync(done, etag, ct).ConfigureAwait(false);
            return new DemographicBatchOutcome(done, Replayed: false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A store or audit failure: drop the unfinished batch so the retried upload starts afresh at once. Records
            // already accepted are found again by their claims, so nothing is created twice.
            try
            {
                await batches.DeleteAsync(fresh, etag, CancellationToken.None).ConfigureAwait(false);
            }
            catch (DomainException)
            {
                // Left PROCESSING: the next upload after StaleAfter resumes it.
            }
            throw;
        }
    }

    private async Task<DemographicRecordResult> ProcessAsync(DemographicBatch batch, OfflineDemographicRecord r,
        Dictionary<string, string> seen, List<(string RecordId, DemographicPerson Person)> people, CancellationToken ct)
    {
        var recordId = r.RecordId!;
        ParsedRecord parsed;
        try
        {
            parsed = Parse(r);
        }
        catch (DomainException e) when (e.Kind == ErrorKind.Validation)
        {
            return DemographicRecordResult.Rejected(recordId, e.Code, e.Detail ?? e.Title);
        }

        var key = DemographicKey.Of(parsed.Name, parsed.DateOfBirth, parsed.Gender, parsed.Address)!;
        var hash = await hasher.HashDemographicsAsync(key, ct).ConfigureAwait(false);
        if (seen.TryGetValue(hash, out var earlier))
            return DemographicRecordResult.Rejected(recordId, DemographicErrors.DuplicateInBatch,
                $"Record {earlier} of this batch is the same person (name, year of birth, gender, PIN code).");
        seen[hash] = recordId;
        var person = new DemographicPerson(parsed.Name, parsed.DateOfBirth, parsed.Gender, parsed.Address.PinCode.Trim());
        foreach (var (otherId, other) in people)
        {
            switch (DemographicMatch.Compare(person, other))
            {
                case DemographicLikeness.Same:
                    return DemographicRecordResult.Rejected(recordId, DemographicErrors.DuplicateInBatch,
                        $"Record {otherId} of this batch is the same person (name written differently; same birth year, gender, PIN code).");
                case DemographicLikeness.Possible:
                    return DemographicRecordResult.Rejected(recordId, DemographicErrors.PossibleDuplicate,
                        $"Record {otherId} of this batch may be the same person (a close name, same birth year, gender, PIN code): not enrolled; " +
                        "a verifier at the facility checks the person's identity document before enrolling them.");
            }
        }
        people.Add((recordId, person));

        var holder = await claims.FindHolderAsync(hash, ct).ConfigureAwait(false);
        if (holder is not null)
        {
            var held = await accounts.FindAsync(holder, ct).ConfigureAwait(false);
            if (held is { Value.Status: not AbhaStatus.Deleted } live)
            {
                if (IsThisRecord(live.Value, batch, recordId))
                    return DemographicRecordResult.Accepted(recordId, live.Value.AbhaNumber);
                return await DuplicateAsync(recordId, live.Value.AbhaNumber, ct).ConfigureAwait(false);
            }
            if (held is not null)
            {
                // The holder was erased: the person may enrol afresh (the old number stays retired).
                await claims.ReleaseAsync(hash, ct).ConfigureAwait(false);
                holder = null;
            }
            // No account at all: an earlier upload stopped between claim and account; finish it with that number.
        }

        if (holder is null)
        {
            var matches = await accounts.FindByDemographicHashAsync(hash, ct).ConfigureAwait(false);
            if (matches.Count > 0)
                return await DuplicateAsync(recordId, matches[0], ct).ConfigureAwait(false);
            if (await NearestAsync(person, ct).ConfigureAwait(false) is { } near)
            {
                if (near.Likeness == DemographicLikeness.Same)
                    return await DuplicateAsync(recordId, near.Number, ct).ConfigureAwait(false);
                await audit.RecordPatientAsync(near.Number, EnrolAction, PossibleDuplicateOutcome, ct).ConfigureAwait(false);
                return DemographicRecordResult.Rejected(recordId, DemographicErrors.PossibleDuplicate, PossibleDuplicateReason);
            }
        }

        var number = holder ?? await allocator.AllocateAsync(ct).ConfigureAwait(false);
        var owner = await claims.ClaimAsync(hash, number, ct).ConfigureAwait(false);
        if (owner != number)
            return DemographicRecordResult.Rejected(recordId, DemographicErrors.DuplicateAccount, DuplicateReason);

        var account = AbhaAccount.Enrol(new AbhaEnrolment
        {
            AbhaNumber = number,
            Name = parsed.Name,
            Gender = parsed.Gender,
            DateOfBirth = parsed.DateOfBirth,
            KycStatus = KycStatus.Unverified,
            Mobile = parsed.Mobile,
            MobileHash = parsed.Mobile is null ? null : await hasher.HashMobileAsync(parsed.Mobile, ct).ConfigureAwait(false),
            MobileVerified = false,
            Address = parsed.Address,
            AssistedBy = new AssistedEnrolment(batch.WorkerId, batch.FacilityId),
            Consent = parsed.Consent,
            Demographic = new DemographicKyc(batch.Programme, batch.FacilityId, batch.BatchId, recordId, parsed.Method, parsed.CollectedAt),
        }, time);
        await audit.RecordPatientAsync(number, EnrolAction, "created", ct).ConfigureAwait(false);
        await accounts.CreateAsync(account, ct).ConfigureAwait(false);
        return DemographicRecordResult.Accepted(recordId, number);
    }

    public const string PossibleDuplicateOutcome = "POSSIBLE_DUPLICATE";

    private const string PossibleDuplicateReason =
        "This record resembles an existing ABHA (a close name, same birth year, gender and PIN code) but not surely the same person: " +
        "not enrolled. A verifier at the facility checks the person's identity document; if it is them, they use that ABHA.";

    /// <summary>
    /// The closest live account sharing the record's blocking key (keyed hash), compared after decryption
    /// (<see cref="DemographicMatch.Compare"/>): Same wins over Possible; null when every candidate is another person.
    /// </summary>
    private async Task<(AbhaNumber Number, DemographicLikeness Likeness)?> NearestAsync(DemographicPerson person, CancellationToken ct)
    {
        var block = DemographicMatch.BlockKey(person)!;
        var candidates = await accounts.FindByDemographicBlockAsync(await hasher.HashDemographicsAsync(block, ct).ConfigureAwait(false), ct)
            .ConfigureAwait(false);
        (AbhaNumber Number, DemographicLikeness Likeness)? best = null;
        foreach (var number in candidates)
        {
            var found = await accounts.FindAsync(number, ct).ConfigureAwait(false);
            if (found is not { Value: { Status: not AbhaStatus.Deleted } account } || DemographicPerson.Of(account) is not { } other) continue;
            var likeness = DemographicMatch.Compare(person, other);
            if (likeness == DemographicLikeness.Same) return (number, likeness);
            if (likeness == DemographicLikeness.Possible) best ??= (number, likeness);
        }
        return best;
    }

    private const string DuplicateReason =
        "An ABHA already exists for this person (one person, one ABHA); they use it, or a facility helps them recover it.";

    /// <summary>The existing holder's chain records that a worker tried to enrol them again (the worker is the actor).</summary>
    private async Task<DemographicRecordResult> DuplicateAsync(string recordId, AbhaNumber existing, CancellationToken ct)
    {
        await audit.RecordPatientAsync(existing, EnrolAction, "DUPLICATE", ct).ConfigureAwait(false);
        return DemographicRecordResult.Rejected(recordId, DemographicErrors.DuplicateAccount, DuplicateReason);
    }

    private static bool IsThisRecord(AbhaAccount account, DemographicBatch batch, string recordId) =>
        account.Demographic is { } d
        && string.Equals(d.FacilityId, batch.FacilityId, StringComparison.Ordinal)
        && string.Equals(d.BatchId, batch.BatchId, StringComparison.Ordinal)
        && string.Equals(d.RecordId, recordId, StringComparison.Ordinal);

    private sealed record ParsedRecord(PersonName Name, DateOfBirth DateOfBirth, Gender Gender, PostalAddress Address, MobileNumber? Mobile,
        AcceptedConsent Consent, AttestationMethod Method, DateTimeOffset CollectedAt);

    private ParsedRecord Parse(OfflineDemographicRecord r)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var name = PersonName.Create(r.FirstName, r.MiddleName, r.LastName);
        DateOfBirth dob;
        if (!string.IsNullOrWhiteSpace(r.Dob))
        {
            if (!DateOnly.TryParseExact(r.Dob.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                throw HealthIdErrors.Invalid(HealthIdErrors.DobInvalid, "Date of birth is not valid", "dob is yyyy-MM-dd (or give yearOfBirth alone).");
            if (r.YearOfBirth is { } y && y != date.Year)
                throw HealthIdErrors.Invalid(HealthIdErrors.DobInvalid, "Date of birth is not valid", "dob and yearOfBirth disagree.");
            dob = DateOfBirth.Create(date.Year, date.Month, date.Day, today);
        }
        else
        {
            dob = r.YearOfBirth is { } year
                ? DateOfBirth.Create(year, null, null, today)
                : throw HealthIdErrors.Invalid(HealthIdErrors.DobInvalid, "Date of birth is not valid", "dob or yearOfBirth is required.");
        }
        var gender = GenderCodes.Parse(r.Gender);
        var address = PostalAddress.Create(r.Address, r.District, r.State, r.PinCode);
        if (address.District is null || address.State is null)
            throw HealthIdErrors.Invalid(HealthIdErrors.PostalAddressInvalid, "Address is not valid",
                "district and state are required (with the PIN code) for a demographic enrolment.");
        var mobile = string.IsNullOrWhiteSpace(r.Mobile) ? null : MobileNumber.Parse(r.Mobile);
        var consent = EnrolmentConsentCatalogue.Embedded.Accept(r.Consent?.Code, r.Consent?.Version, r.Consent?.Language, now);

        if (r.Attestation is not { Attested: true } attestation)
            throw new DomainException(ErrorKind.Validation, DemographicErrors.AttestationMissing, "Attestation missing",
                "attestation.attested must be true: the worker attests that they identified the person.");
        var method = DemographicErrors.ParseMethod(attestation.Method);
        if (attestation.CollectedAt is not { } collectedAt || collectedAt > now.AddMinutes(5) || now - collectedAt > MaxRecordAge)
            throw new DomainException(ErrorKind.Validation, DemographicErrors.AttestationInvalid, "Attestation is not valid",
                $"attestation.collectedAt is the time the record was collected: not in the future, at most {MaxRecordAge.TotalDays:0} days ago.");
        return new ParsedRecord(name, dob, gender, address, mobile, consent, method, collectedAt);
    }

    private static string CheckId(string? value, string field, string code)
    {
        var v = value?.Trim();
        if (string.IsNullOrEmpty(v) || v.Length > MaxIdLength
            || !v.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw DemographicErrors.Invalid(code,
                $"{field} is 1-{MaxIdLength} characters: ASCII letters, digits, '-', '_' and '.'.");
        return v;
    }

    private static string CheckProgramme(string? value)
    {
        var v = value?.Trim();
        if (string.IsNullOrEmpty(v) || v.Length > 32 || !v.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c is '_' or '-'))
            throw DemographicErrors.Invalid(DemographicErrors.ProgrammeInvalid,
                "programme is the government programme's code: 1-32 upper-case letters, digits, '_' or '-' (e.g. PMJAY, NHM-OUTREACH).");
        return v;
    }

    private static IReadOnlyList<OfflineDemographicRecord> CheckRecords(IReadOnlyList<OfflineDemographicRecord>? records)
    {
        if (records is null || records.Count == 0)
            throw DemographicErrors.Invalid(DemographicErrors.BatchEmpty, "records must hold at least one record.");
        if (records.Count > MaxRecords)
            throw DemographicErrors.Invalid(DemographicErrors.BatchTooLarge,
                $"A batch holds at most {MaxRecords} records; split the upload into several batches.");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var checkedRecords = new List<OfflineDemographicRecord>(records.Count);
        foreach (var record in records)
        {
            if (record is null)
                throw DemographicErrors.Invalid(DemographicErrors.RecordIdInvalid, "records may not hold null.");
            var id = CheckId(record.RecordId, "recordId", DemographicErrors.RecordIdInvalid);
            if (!ids.Add(id))
                throw DemographicErrors.Invalid(DemographicErrors.RecordIdDuplicate, $"recordId {id} appears twice in the batch.");
            checkedRecords.Add(record with { RecordId = id });
        }
        return checkedRecords;
    }

    private static DomainException InProgress() =>
        new(ErrorKind.Conflict, DemographicErrors.BatchInProgress, "Batch being processed",
            "This batch is being processed by another upload; upload it again in a moment for its result.") { RetryAfterSeconds = 5 };
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Ndhm.Core.Json;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Consent;
using Ndhm.HealthId.Documents;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Numbers;
using Ndhm.Privacy;
using Ndhm.Privacy.Export;

namespace Ndhm.HealthId.DataRights;

/// <summary>
/// Health ID's part of the patient's export: the account decrypted (names, local-language name, KYC photo, gender,
/// birth date, mobile, email, postal address), the ABHA number and every linked address, KYC and account status,
/// who assisted the enrolment, and the timestamps. The keyed hashes of the mobile and the Aadhaar number are held too
/// but are meaningless without the platform's HMAC key, so the section says they exist rather than print them.
/// </summary>
public sealed class AbhaProfileExportSection(IAbhaAccountStore accounts) : IPatientDataExportSection
{
    public const string SectionName = "profile";

    public string Name => SectionName;

    public async Task<JsonNode?> ExportAsync(PatientDataSubject subject, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var number = AbhaNumber.Parse(subject.AbhaNumber);
        var account = (await accounts.FindAsync(number, ct).ConfigureAwait(false))?.Value ?? throw HealthIdErrors.AbhaNotFound();
        // The data key goes with the account's tombstone; an erasure stopped in between still exports nothing.
        if (account.Status == AbhaStatus.Deleted) throw PrivacyErrors.Erased(subject.DataKey);
        return JsonSerializer.SerializeToNode(new AbhaAccountExport(
            account.AbhaNumber.Formatted,
            account.Status,
            account.KycStatus,
            account.Name,
            account.LocalName,
            account.Photo,
            account.Gender,
            account.DateOfBirth,
            account.Mobile?.Digits,
            account.MobileVerified,
            account.Email,
            account.Address,
            account.AbhaAddresses.Select(a => new AbhaAddressExport(a.Address.Value, a.Preferred, a.LinkedAt)).ToList(),
            account.AssistedBy,
            account.Consent,
            account.Document is { } document
                ? new DocumentKycExport(document.DocumentType, document.State, document.SubmittedAt, document.DecidedAt, document.Reason)
                : null,
            [.. HeldAsKeyedHashes(account)],
            account.CreatedAt,
            account.UpdatedAt,
            account.DeactivatedAt), NdhmJson.Options);
    }

    private static IEnumerable<string> HeldAsKeyedHashes(AbhaAccount account)
    {
        if (account.MobileHash is not null) yield return "mobile";
        if (account.AadhaarHash is not null) yield return "aadhaar";
        if (account.Document is not null) yield return "identityDocument";
    }
}

/// <summary>The account as the patient's export shows it.</summary>
public sealed record AbhaAccountExport(
    string AbhaNumber,
    AbhaStatus Status,
    KycStatus KycStatus,
    PersonName? Name,
    LocalName? LocalName,
    byte[]? Photo,
    Gender? Gender,
    DateOfBirth? DateOfBirth,
    string? Mobile,
    bool MobileVerified,
    string? Email,
    PostalAddress? Address,
    IReadOnlyList<AbhaAddressExport> AbhaAddresses,
    AssistedEnrolment? AssistedBy,
    AcceptedConsent? EnrolmentConsent,
    DocumentKycExport? IdentityDocument,
    IReadOnlyList<string> HeldAsKeyedHashes,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeactivatedAt);

public sealed record AbhaAddressExport(string Address, bool Preferred, DateTimeOffset LinkedAt);

/// <summary>How an enrolment by document was verified; the document number itself is held only as a keyed hash.</summary>
public sealed record DocumentKycExport(
    IdentityDocumentType DocumentType, DocumentVerificationState State, DateTimeOffset SubmittedAt, DateTimeOffset? DecidedAt, string? Reason);

using System.Text.Json.Serialization;
using Ndhm.HealthId.Consent;
using Ndhm.HealthId.Documents;

namespace Ndhm.HealthId.Accounts;

/// <summary>
/// The account as ABDM's enrolment API shows it (<c>ABHAProfile</c> / <c>EnrolProfile</c> in the v3 enrolment
/// API): the same field names, so HTTP functions can return it as is. <c>dob</c> is <c>dd-MM-yyyy</c> with only
/// the known parts; <c>phrAddress</c> lists every linked ABHA address, the preferred one first.
/// </summary>
public sealed record AbhaProfile
{
    [JsonPropertyName("ABHANumber")]
    public required string AbhaNumber { get; init; }

    public string? FirstName { get; init; }
    public string? MiddleName { get; init; }
    public string? LastName { get; init; }
    public string? Dob { get; init; }
    public string? Gender { get; init; }
    public string? Mobile { get; init; }
    public string? Email { get; init; }

    /// <summary>Whether the email was proven by an OTP sent to it (ours; ABDM shows a verified email the same way).</summary>
    public bool EmailVerified { get; init; }
    public IReadOnlyList<string> PhrAddress { get; init; } = [];
    public string? PreferredAbhaAddress { get; init; }
    public string? Address { get; init; }
    public string? District { get; init; }
    public string? State { get; init; }
    public string? PinCode { get; init; }

    /// <summary>ABDM's <c>abhaType</c>: always STANDARD here (no child or provisional accounts yet).</summary>
    public string AbhaType { get; init; } = "STANDARD";

    public required string AbhaStatus { get; init; }
    public bool KycVerified { get; init; }

    /// <summary>The enrolment consent text the person accepted (code, version, language, when).</summary>
    public AcceptedConsent? Consent { get; init; }

    /// <summary>ABDM's <c>enrolmentState</c>: PROVISIONAL while a document enrolment waits for a verifier, else VERIFIED.</summary>
    public string EnrolmentState { get; init; } = "VERIFIED";

    /// <summary>For accounts enrolled by document: the type and state (never the number).</summary>
    public DocumentVerificationView? DocumentVerification { get; init; }

    public static AbhaProfile From(AbhaAccount account) => new()
    {
        AbhaNumber = account.AbhaNumber.Formatted,
        FirstName = account.Name?.FirstName,
        MiddleName = account.Name?.MiddleName,
        LastName = account.Name?.LastName,
        Dob = account.DateOfBirth?.ToAbdmString(),
        Gender = account.Gender?.ToString(),
        Mobile = account.Mobile?.Digits,
        Email = account.Email,
        EmailVerified = account.EmailVerified,
        PhrAddress = account.AbhaAddresses.OrderByDescending(a => a.Preferred).Select(a => a.Address.Value).ToList(),
        PreferredAbhaAddress = account.PreferredAbhaAddress?.Value,
        Address = account.Address?.Line,
        District = account.Address?.District,
        State = account.Address?.State,
        PinCode = account.Address?.PinCode,
        AbhaStatus = account.Status switch
        {
            Accounts.AbhaStatus.Active => "ACTIVE",
            Accounts.AbhaStatus.Deactivated => "DEACTIVATED",
            _ => "DELETED",
        },
        KycVerified = account.KycStatus == KycStatus.Verified,
        Consent = account.Consent,
        EnrolmentState = account.Document is { State: DocumentVerificationState.Pending } ? "PROVISIONAL" : "VERIFIED",
        DocumentVerification = account.Document is { } d
            ? new DocumentVerificationView(d.DocumentType, d.State, d.Reason) : null,
    };
}

/// <summary>The document part of the profile: type, state, and the verifier's reason when rejected.</summary>
public sealed record DocumentVerificationView(IdentityDocumentType DocumentType, DocumentVerificationState State, string? Reason);

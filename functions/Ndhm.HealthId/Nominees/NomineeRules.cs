using System.Globalization;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Identity;

namespace Ndhm.HealthId.Nominees;

/// <summary>Reading and checking what a patient or an admin says about a nominee. Codes are the API's words.</summary>
public static class NomineeRules
{
    public const int MaxNameLength = 99;
    public const int MaxEvidenceLength = 200;

    private static readonly Dictionary<string, NomineeRelationship> Relationships = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SPOUSE"] = NomineeRelationship.Spouse,
        ["PARENT"] = NomineeRelationship.Parent,
        ["CHILD"] = NomineeRelationship.Child,
        ["SIBLING"] = NomineeRelationship.Sibling,
        ["OTHER"] = NomineeRelationship.Other,
    };

    private static readonly Dictionary<string, NominationActivationReason> ActivationReasons = new(StringComparer.OrdinalIgnoreCase)
    {
        ["DEATH"] = NominationActivationReason.Death,
        ["INCAPACITY"] = NominationActivationReason.Incapacity,
    };

    private static readonly Dictionary<string, NominationDeactivationReason> DeactivationReasons = new(StringComparer.OrdinalIgnoreCase)
    {
        ["RECOVERED"] = NominationDeactivationReason.Recovered,
        ["ENTERED_IN_ERROR"] = NominationDeactivationReason.EnteredInError,
    };

    /// <summary>The nominee as the patient names them; 400 with the field's code when a field is wrong.</summary>
    public static NomineeDetails Details(string? abhaAddress, string? name, string? relationship, string? mobile, string addressSuffix) =>
        new(AbhaAddress.Parse(HealthIdErrors.Required(abhaAddress, "abhaAddress"), addressSuffix),
            Name(name),
            Parse(Relationships, relationship, "relationship"),
            string.IsNullOrWhiteSpace(mobile) ? null : MobileNumber.Parse(mobile).Digits);

    public static NominationActivationReason ActivationReason(string? reason) => Parse(ActivationReasons, reason, "reason");

    public static NominationDeactivationReason DeactivationReason(string? reason) => Parse(DeactivationReasons, reason, "reason");

    /// <summary>A reference to the evidence (a death certificate's number, a court order, a case file): required for activation.</summary>
    public static string Evidence(string? reference, bool required)
    {
        var value = reference?.Trim();
        if (string.IsNullOrEmpty(value))
            return required
                ? throw new DomainException(ErrorKind.Validation, NomineeErrors.EvidenceInvalid, "Evidence required",
                    "evidenceReference is required: what the decision rests on (a certificate or case reference).")
                : "";
        return value.Length <= MaxEvidenceLength
            ? value
            : throw new DomainException(ErrorKind.Validation, NomineeErrors.EvidenceInvalid, "Evidence reference too long",
                $"evidenceReference may have at most {MaxEvidenceLength} characters.");
    }

    public static string Code(NomineeRelationship value) => Relationships.Single(p => p.Value == value).Key;

    public static string Code(NominationActivationReason value) => ActivationReasons.Single(p => p.Value == value).Key;

    public static string Code(NominationDeactivationReason value) => DeactivationReasons.Single(p => p.Value == value).Key;

    private static string Name(string? name)
    {
        var value = HealthIdErrors.Required(name, "name");
        if (value.Length > MaxNameLength)
            throw HealthIdErrors.Invalid(HealthIdErrors.NameInvalid, "Name is not valid", $"The nominee's name may have at most {MaxNameLength} characters.");
        foreach (var c in value)
        {
            if (!char.IsLetter(c) && c is not ' ' and not '.' and not '\'' and not '-'
                && CharUnicodeInfo.GetUnicodeCategory(c) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark))
                throw HealthIdErrors.Invalid(HealthIdErrors.NameInvalid, "Name is not valid",
                    "The nominee's name may contain letters, spaces, '.', ''' and '-' only.");
        }

        return value;
    }

    private static T Parse<T>(Dictionary<string, T> values, string? text, string field) =>
        text is not null && values.TryGetValue(text.Trim(), out var value)
            ? value
            : throw HealthIdErrors.InvalidRequest($"{field} must be one of {string.Join(", ", values.Keys)}.");
}

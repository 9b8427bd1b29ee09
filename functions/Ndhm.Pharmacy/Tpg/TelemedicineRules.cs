using Ndhm.Core.Errors;
using Ndhm.Pharmacy.Catalogue;
using Ndhm.Pharmacy.Consultations;

namespace Ndhm.Pharmacy.Tpg;

/// <summary>A drug the Telemedicine Practice Guidelines do not allow in this consultation, and which rule says so.</summary>
public sealed record TpgViolation(string DrugCode, string DrugName, TpgList List, string Rule, string Code, string Reason);

/// <summary>
/// Telemedicine Practice Guidelines 2020 (Board of Governors in supersession of the Medical Council of India), 3.7.4
/// and Annexure: what a registered medical practitioner may prescribe in a teleconsultation depends on the list.
/// <list type="bullet">
/// <item>List O (over the counter, and others notified): in any mode (video, audio, chat).</item>
/// <item>List A (first consultation): only when the first consultation is by video.</item>
/// <item>List B (add-ons): only in a follow-up consultation for the same condition.</item>
/// <item>Prohibited (Schedule X, narcotic and psychotropic drugs under the NDPS Act): never.</item>
/// </list>
/// Pure: no I/O; the catalogue says which list a drug is on, the consultation facts say the rest.
/// </summary>
public static class TelemedicineRules
{
    public const string ProhibitedCode = "TPG_PROHIBITED_DRUG";
    public const string ListACode = "TPG_LIST_A_NEEDS_FIRST_VIDEO_CONSULTATION";
    public const string ListBCode = "TPG_LIST_B_NEEDS_FOLLOW_UP_FOR_SAME_CONDITION";

    /// <param name="conditionCode">The condition the prescription treats (List B: must be the consultation's).</param>
    public static TpgViolation? Check(Drug drug, ConsultationFacts consultation, string? conditionCode)
    {
        if (drug.IsProhibited)
        {
            return Violation(drug, "prohibited", ProhibitedCode,
                "Schedule X, narcotic and psychotropic drugs (the prohibited list) may never be prescribed by telemedicine.");
        }

        return drug.List switch
        {
            TpgList.O => null,
            TpgList.A when consultation.Mode == ConsultationMode.Video && !consultation.IsFollowUp => null,
            TpgList.A => Violation(drug, "list-A", ListACode,
                "List A drugs may be prescribed only in a first consultation held by video " +
                $"(this one is a {(consultation.IsFollowUp ? "follow-up" : "first consultation")} by {consultation.Mode.ToString().ToLowerInvariant()})."),
            TpgList.B when consultation.IsFollowUp && SameCondition(consultation.ConditionCode, conditionCode) => null,
            TpgList.B => Violation(drug, "list-B", ListBCode,
                consultation.IsFollowUp
                    ? "List B drugs may be added only in a follow-up for the same condition; the prescription's condition is not the consultation's."
                    : "List B drugs may be added only in a follow-up consultation for the same condition; this is a first consultation."),
            _ => Violation(drug, "unknown-list", ProhibitedCode, "The drug's list is unknown."),
        };
    }

    /// <summary>Every violation of a prescription, in item order (empty when it may be issued).</summary>
    public static IReadOnlyList<TpgViolation> CheckAll(IEnumerable<Drug> drugs, ConsultationFacts consultation, string? conditionCode) =>
        drugs.Select(d => Check(d, consultation, conditionCode)).OfType<TpgViolation>().ToList();

    /// <summary>The refusal for the first violation, naming the drug and the rule; all of them in <c>violations</c>.</summary>
    public static DomainException Refusal(IReadOnlyList<TpgViolation> violations)
    {
        var first = violations[0];
        return new DomainException(ErrorKind.Validation, first.Code, "The Telemedicine Practice Guidelines do not allow this prescription.",
            $"{first.DrugName} ({first.DrugCode}) is on the {Describe(first.List)}: {first.Reason}",
            new Dictionary<string, object?>
            {
                ["drug"] = first.DrugCode,
                ["rule"] = first.Rule,
                ["violations"] = violations.Select(v => new Dictionary<string, object?>
                {
                    ["drug"] = v.DrugCode, ["rule"] = v.Rule, ["code"] = v.Code, ["reason"] = v.Reason,
                }).ToList(),
            });
    }

    private static bool SameCondition(string? consultationCondition, string? prescribedCondition) =>
        !string.IsNullOrWhiteSpace(consultationCondition) && !string.IsNullOrWhiteSpace(prescribedCondition)
        && string.Equals(consultationCondition.Trim(), prescribedCondition.Trim(), StringComparison.OrdinalIgnoreCase);

    private static string Describe(TpgList list) => list == TpgList.Prohibited ? "prohibited list" : $"TPG List {list}";

    private static TpgViolation Violation(Drug drug, string rule, string code, string reason) =>
        new(drug.Code, drug.Name, drug.List, rule, code, reason);
}

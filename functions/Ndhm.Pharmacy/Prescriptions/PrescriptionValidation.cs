using Ndhm.Core.Errors;
using Ndhm.Pharmacy.Catalogue;

namespace Ndhm.Pharmacy.Prescriptions;

/// <summary>Shape checks of a prescription (the TPG rules come after, in <see cref="Tpg.TelemedicineRules"/>).</summary>
public static class PrescriptionValidation
{
    public const int MaxItems = 20;

    public static IReadOnlyList<(PrescriptionItemInput Input, Drug Drug)> Validate(PrescriptionInput? input, DrugCatalogue catalogue)
    {
        if (input?.Items is not { Count: > 0 } items) throw PharmacyErrors.Invalid(PharmacyErrors.InvalidPrescription, "items must list at least one drug.", "items");
        if (items.Count > MaxItems) throw PharmacyErrors.Invalid(PharmacyErrors.InvalidPrescription, $"At most {MaxItems} items.", "items");
        Text(input.ConditionCode, 64, "conditionCode");
        Text(input.ConditionText, 200, "conditionText");
        Text(input.Notes, 1000, "notes");
        var result = new List<(PrescriptionItemInput, Drug)>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] ?? throw PharmacyErrors.Invalid(PharmacyErrors.InvalidPrescription, $"items[{i}] is empty.", $"items[{i}]");
            var drug = catalogue.Find(item.DrugCode?.Trim())
                       ?? throw new DomainException(ErrorKind.Validation, PharmacyErrors.UnknownDrug, "The drug is not in the catalogue.",
                           $"items[{i}].drugCode '{item.DrugCode}' is not a drug of the catalogue ({catalogue.Version}).",
                           new Dictionary<string, object?> { ["field"] = $"items[{i}].drugCode", ["drug"] = item.DrugCode });
            if (string.IsNullOrWhiteSpace(item.Dosage) || item.Dosage.Length > 100) throw Bad(i, "dosage", "is required (at most 100 characters)");
            Range(item.FrequencyPerDay, 1, 24, i, "frequencyPerDay");
            Range(item.DurationDays, 1, 365, i, "durationDays");
            Range(item.Quantity, 1, 1000, i, "quantity");
            Text(item.Instructions, 200, $"items[{i}].instructions");
            if (result.Any(r => r.Item2.Code == drug.Code)) throw Bad(i, "drugCode", "names a drug already prescribed above");
            result.Add((item, drug));
        }

        return result;
    }

    private static void Range(int? value, int min, int max, int index, string field)
    {
        if (value is null || value < min || value > max) throw Bad(index, field, $"must be between {min} and {max}");
    }

    private static void Text(string? value, int max, string field)
    {
        if (value is { } text && (text.Length > max || text.Any(char.IsControl)))
            throw PharmacyErrors.Invalid(PharmacyErrors.InvalidPrescription, $"{field} is at most {max} characters, without control characters.", field);
    }

    private static DomainException Bad(int index, string field, string what) =>
        PharmacyErrors.Invalid(PharmacyErrors.InvalidPrescription, $"items[{index}].{field} {what}.", $"items[{index}].{field}");
}

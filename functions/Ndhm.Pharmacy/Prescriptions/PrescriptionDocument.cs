using System.Globalization;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Ndhm.Fhir;
using Ndhm.Fhir.Documents;

namespace Ndhm.Pharmacy.Prescriptions;

/// <summary>
/// The prescription as an ABDM PrescriptionRecord document (Ndhm.Fhir builder): one MedicationRequest per item with
/// its dosage (text, frequency a day, duration), quantity, validity and whether substitution is allowed; and the
/// MedicationDispense a pharmacy's delivery produces.
/// </summary>
public static class PrescriptionDocument
{
    /// <summary>Drug codes are the platform catalogue's (in the MedicationDispense; the PrescriptionRecord names medicines by text).</summary>
    public const string CatalogueSystem = "https://ndhm.example/fhir/CodeSystem/drug-catalogue";
    public const string PrescriptionIdSystem = "https://ndhm.example/fhir/prescriptions";
    public const string OrderIdSystem = "https://ndhm.example/fhir/pharmacy-orders";
    private const string Ucum = "http://unitsofmeasure.org";

    public static Bundle Build(Prescription p, string facilityName)
    {
        var builder = DocumentBundleBuilder.For(AbdmDocumentType.Prescription)
            .Identifier(PrescriptionIdSystem, p.Id)
            .Date(p.IssuedAt)
            .Patient(new AbhaPatient(p.PatientNumber, null, "ABHA " + p.PatientNumber[^4..]))
            .Practitioner(new HprPractitioner(p.DoctorHprId, p.DoctorName))
            .Organization(new HfrFacility(p.FacilityId, facilityName));
        foreach (var item in p.Items) builder.Add(Request(p, item));
        return builder.Build();
    }

    private static MedicationRequest Request(Prescription p, PrescribedItem item)
    {
        var request = new MedicationRequest
        {
            Identifier = [new Identifier(PrescriptionIdSystem, $"{p.Id}/{item.Line}")],
            Status = MedicationRequest.MedicationrequestStatus.Active,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = new CodeableConcept { Text = MedicationText(item) },
            AuthoredOnElement = new FhirDateTime(p.IssuedAt),
            DosageInstruction =
            [
                new Dosage
                {
                    Sequence = 1,
                    Text = item.Instructions is null ? item.Dosage : $"{item.Dosage}; {item.Instructions}",
                    Timing = new Timing
                    {
                        Repeat = new Timing.RepeatComponent
                        {
                            Frequency = item.FrequencyPerDay,
                            Period = 1,
                            PeriodUnit = Timing.UnitsOfTime.D,
                            Bounds = Days(item.DurationDays),
                        },
                    },
                },
            ],
            DispenseRequest = new MedicationRequest.DispenseRequestComponent
            {
                ValidityPeriod = new Period(new FhirDateTime(p.IssuedAt), new FhirDateTime(p.ValidUntil)),
                Quantity = new Quantity { Value = item.Quantity, Unit = item.Form },
                ExpectedSupplyDuration = Days(item.DurationDays),
            },
            Substitution = new MedicationRequest.SubstitutionComponent { Allowed = new FhirBoolean(item.SubstitutionAllowed) },
        };
        if (p.ConditionCode is not null || p.ConditionText is not null)
        {
            request.ReasonCode = [new CodeableConcept { Text = p.ConditionText ?? p.ConditionCode }];
        }

        return request;
    }

    /// <summary>What a delivery handed over: one MedicationDispense per line, naming the prescription item it fills.</summary>
    public static string Dispense(Prescription p, string pharmacyId, string drugCode, string drugName, int line, int quantity, bool substituted,
        DateTimeOffset handedOver)
    {
        var prescribed = p.Item(line)!;
        var dispense = new MedicationDispense
        {
            Id = $"{p.Id}-{line}-{handedOver.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}",
            Status = MedicationDispense.MedicationDispenseStatusCodes.Completed,
            Medication = new CodeableConcept(CatalogueSystem, drugCode, drugName) { Text = drugName },
            Subject = new ResourceReference { Identifier = new Identifier("https://healthid.ndhm.gov.in", Format(p.PatientNumber)) },
            Performer = [new MedicationDispense.PerformerComponent { Actor = new ResourceReference { Identifier = new Identifier(HfrFacility.System, pharmacyId) } }],
            AuthorizingPrescription = [new ResourceReference { Identifier = new Identifier(PrescriptionIdSystem, $"{p.Id}/{line}") }],
            Quantity = new Quantity { Value = quantity, Unit = prescribed.Form },
            WhenHandedOverElement = new FhirDateTime(handedOver),
            Substitution = new MedicationDispense.SubstitutionComponent { WasSubstituted = substituted },
        };
        return FhirJson.Serialize(dispense);
    }

    /// <summary>
    /// What the patient's health record keeps of a delivery: a FHIR <c>collection</c> Bundle of the order's
    /// MedicationDispense resources (identifier: the order id, timestamp: when handed over).
    /// </summary>
    public static string DispenseBundle(string orderId, IReadOnlyList<string> dispenses, DateTimeOffset handedOver)
    {
        var entries = new JsonArray();
        foreach (var dispense in dispenses)
        {
            var resource = JsonNode.Parse(dispense)!.AsObject();
            entries.Add(new JsonObject { ["fullUrl"] = "MedicationDispense/" + resource["id"]!.GetValue<string>(), ["resource"] = resource });
        }

        return new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["id"] = "dispense-" + orderId,
            ["identifier"] = new JsonObject { ["system"] = OrderIdSystem, ["value"] = orderId },
            ["type"] = "collection",
            ["timestamp"] = handedOver.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["entry"] = entries,
        }.ToJsonString();
    }

    /// <summary>
    /// ABDM's MedicationRequest fixes medicationCodeableConcept.coding to SNOMED CT (with display) and the sample
    /// catalogue has no SNOMED CT codes, so the medicine is named by text only; the catalogue code stays in the
    /// platform's prescription record, which the pharmacy's order and dispense paths read.
    /// </summary>
    internal static string MedicationText(PrescribedItem item) =>
        item.DrugName.Contains(item.Composition, StringComparison.OrdinalIgnoreCase)
            ? $"{item.DrugName} ({item.Strength} {item.Form})"
            : $"{item.DrugName} ({item.Composition} {item.Strength} {item.Form})";

    private static Duration Days(int days) => new() { Value = days, Unit = "days", System = Ucum, Code = "d" };

    private static string Format(string digits) => $"{digits[..2]}-{digits[2..6]}-{digits[6..10]}-{digits[10..]}";
}

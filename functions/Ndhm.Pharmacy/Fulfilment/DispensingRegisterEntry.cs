using Ndhm.Pharmacy.Catalogue;

namespace Ndhm.Pharmacy.Fulfilment;

/// <summary>
/// One Schedule H or H1 dispensing, as the Drugs and Cosmetics Rules require it recorded (prescriber, patient, drug,
/// quantity, date), kept for a regulator to query. Written once per order line at delivery.
/// </summary>
public sealed record DispensingRegisterEntry(
    string Id,
    DateTimeOffset DispensedAt,
    string PrescriberHprId,
    string PatientNumber,
    string DrugCode,
    string DrugName,
    DrugSchedule Schedule,
    int Quantity,
    string PharmacyId,
    string PrescriptionId,
    string OrderId);

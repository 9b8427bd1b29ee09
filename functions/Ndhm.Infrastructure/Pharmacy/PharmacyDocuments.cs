namespace Ndhm.Infrastructure.Pharmacy;

/// <summary>
/// A prescription, share, order, ledger or sandbox consultation in the <c>pharmacy</c> container: id = pk =
/// <c>&lt;kind&gt;:&lt;id&gt;</c>. The record itself (drugs, dosages, quantities, prices, dispenses, the signed document)
/// is one <c>enc:v1</c> field under the patient's data key; <c>subject</c> (the ABHA number) names that key, as
/// Health ID's and Consent's documents do. <c>status</c> is plaintext for operators' queries.
/// </summary>
internal sealed record PharmacySealedDocument(string Id, string Pk, string DocType, string Subject, string? Status, long UpdatedAt, string Record)
{
    public const string RecordField = "record";
}

/// <summary>
/// One Schedule H/H1 register entry: id <c>rx-register:&lt;orderId&gt;-&lt;line&gt;</c>, partitioned by month
/// (<c>rx-register:yyyy-MM</c>). Everything a regulator filters on is plaintext; the patient is encrypted.
/// </summary>
internal sealed record RegisterDocument(
    string Id,
    string Pk,
    string DocType,
    string Subject,
    long DispensedAt,
    string PrescriberHprId,
    string DrugCode,
    string DrugName,
    string Schedule,
    int Quantity,
    string PharmacyId,
    string PrescriptionId,
    string OrderId,
    string Patient)
{
    public const string Type = "rxRegister";
    public const string PatientField = "patient";
}

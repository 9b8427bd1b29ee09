namespace Ndhm.Pharmacy.Fulfilment;

/// <summary>A pharmacy the registry lists as verified, active and served by an active pharmacy partner.</summary>
public sealed record PharmacyInfo(string FacilityId, string Name, string Pincode, string PartnerId);

/// <param name="Line">The prescription item this line quotes for.</param>
/// <param name="DrugCode">What the pharmacy would dispense: the prescribed drug, or a substitute of the same composition and strength.</param>
public sealed record QuoteLine(int Line, string DrugCode, string DrugName, bool Substituted, bool Available, int Quantity, decimal UnitPrice);

public sealed record Quote(string PharmacyId, DateTimeOffset QuotedAt, IReadOnlyList<QuoteLine> Lines)
{
    public decimal Total => Lines.Where(l => l.Available).Sum(l => l.UnitPrice * l.Quantity);
}

public sealed record ShareTarget(string PharmacyId, string PharmacyName, string PartnerId, Quote? Quote);

/// <summary>
/// The patient shared a prescription with one pharmacy or with the verified pharmacies of a pincode; each may quote
/// once (a new quote replaces its earlier one until the patient orders). Stored encrypted under the patient's key.
/// </summary>
public sealed record PrescriptionShare(
    string Id,
    string PrescriptionId,
    string PatientNumber,
    string? Pincode,
    DateTimeOffset CreatedAt,
    IReadOnlyList<ShareTarget> Pharmacies,
    string? OrderId)
{
    public ShareTarget? Target(string pharmacyId) => Pharmacies.FirstOrDefault(p => p.PharmacyId == pharmacyId);

    public PrescriptionShare WithQuote(Quote quote) =>
        this with { Pharmacies = Pharmacies.Select(p => p.PharmacyId == quote.PharmacyId ? p with { Quote = quote } : p).ToList() };
}

/// <summary>A quote as sent by a pharmacy (validated against the prescription and the catalogue).</summary>
public sealed record QuoteInput(string? PharmacyId, IReadOnlyList<QuoteLineInput>? Lines);

public sealed record QuoteLineInput(int? Line, bool? Available, int? Quantity, decimal? UnitPrice, string? SubstituteDrugCode);

/// <summary>Share with one pharmacy (<c>pharmacyId</c>) or broadcast to a pincode (<c>pincode</c>): exactly one of them.</summary>
public sealed record ShareInput(string? PharmacyId, string? Pincode);

public sealed record PlaceOrderInput(string? PharmacyId);

using System.Text.Json;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Pharmacy.Orders;
using Ndhm.Pharmacy.Prescriptions;

namespace Ndhm.Triggers.Pharmacy;

/// <param name="Document">The signed FHIR PrescriptionRecord bundle (Bundle.signature: JWS, verify against /api/.well-known/jwks.json).</param>
public sealed record PrescriptionView(
    string Id,
    string ConsultationId,
    string DoctorHprId,
    string DoctorName,
    string FacilityId,
    string? ConditionCode,
    string? ConditionText,
    DateTimeOffset IssuedAt,
    DateTimeOffset ValidUntil,
    IReadOnlyList<PrescribedItemView> Items,
    JsonElement Document)
{
    public static PrescriptionView From(Prescription p)
    {
        using var document = JsonDocument.Parse(p.SignedBundle);
        return new PrescriptionView(p.Id, p.ConsultationId, p.DoctorHprId, p.DoctorName, p.FacilityId, p.ConditionCode, p.ConditionText, p.IssuedAt,
            p.ValidUntil, p.Items.Select(PrescribedItemView.From).ToList(), document.RootElement.Clone());
    }
}

/// <summary>A prescription as the patient's list shows it (the signed document is in <c>GET /api/v1/prescriptions/{id}</c>).</summary>
public sealed record PrescriptionSummaryView(
    string Id,
    string DoctorName,
    string FacilityId,
    string? ConditionText,
    DateTimeOffset IssuedAt,
    DateTimeOffset ValidUntil,
    IReadOnlyList<PrescribedItemView> Items)
{
    public static PrescriptionSummaryView From(Prescription p) =>
        new(p.Id, p.DoctorName, p.FacilityId, p.ConditionText, p.IssuedAt, p.ValidUntil, p.Items.Select(PrescribedItemView.From).ToList());
}

public sealed record PrescriptionList(IReadOnlyList<PrescriptionSummaryView> Prescriptions);

public sealed record ShareList(IReadOnlyList<ShareView> Shares);

public sealed record PrescribedItemView(
    int Line, string DrugCode, string DrugName, string Composition, string Strength, string Form, string Schedule, string TpgList, string Dosage,
    int FrequencyPerDay, int DurationDays, int Quantity, bool SubstitutionAllowed, string? Instructions)
{
    public static PrescribedItemView From(PrescribedItem i) =>
        new(i.Line, i.DrugCode, i.DrugName, i.Composition, i.Strength, i.Form, i.Schedule.ToString().ToUpperInvariant(), i.List.ToString().ToUpperInvariant(),
            i.Dosage, i.FrequencyPerDay, i.DurationDays, i.Quantity, i.SubstitutionAllowed, i.Instructions);
}

public sealed record QuoteView(string PharmacyId, DateTimeOffset QuotedAt, decimal Total, IReadOnlyList<QuoteLine> Lines)
{
    public static QuoteView From(Quote q) => new(q.PharmacyId, q.QuotedAt, q.Total, q.Lines);
}

public sealed record ShareTargetView(string PharmacyId, string PharmacyName, QuoteView? Quote);

public sealed record ShareView(string Id, string PrescriptionId, string? Pincode, DateTimeOffset CreatedAt, string? OrderId,
    IReadOnlyList<ShareTargetView> Pharmacies)
{
    public static ShareView From(PrescriptionShare s) =>
        new(s.Id, s.PrescriptionId, s.Pincode, s.CreatedAt, s.OrderId,
            s.Pharmacies.Select(p => new ShareTargetView(p.PharmacyId, p.PharmacyName, p.Quote is null ? null : QuoteView.From(p.Quote))).ToList());
}

/// <summary>What a pharmacy sees of a share sent to it: the prescription (signed document included) and its own quote.</summary>
public sealed record SharedPrescriptionView(string ShareId, string PharmacyId, string? OrderId, QuoteView? Quote, PrescriptionView Prescription);

public sealed record OrderLineView(int Line, string PrescribedDrugCode, string DrugCode, string DrugName, bool Substituted, int Quantity, decimal UnitPrice,
    string Schedule);

public sealed record OrderEventView(string EventId, string Status, DateTimeOffset At, string Actor, string? Reason, bool Applied);

/// <param name="MedicationDispenses">After delivery: one FHIR MedicationDispense per line (the patient's record of what was handed over).</param>
public sealed record OrderView(
    string Id,
    string ShareId,
    string PrescriptionId,
    string PharmacyId,
    string Status,
    string? Reason,
    decimal Total,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<OrderLineView> Lines,
    IReadOnlyList<OrderEventView> Events,
    IReadOnlyList<JsonElement> MedicationDispenses,
    PrescriptionView? Prescription = null)
{
    public static OrderView From(Order o, Prescription? prescription = null) =>
        new(o.Id, o.ShareId, o.PrescriptionId, o.PharmacyId, OrderStatuses.Name(o.Status), o.Reason, o.Lines.Sum(l => l.UnitPrice * l.Quantity),
            o.CreatedAt, o.UpdatedAt,
            o.Lines.Select(l => new OrderLineView(l.Line, l.PrescribedDrugCode, l.DrugCode, l.DrugName, l.Substituted, l.Quantity, l.UnitPrice,
                l.Schedule.ToString().ToUpperInvariant())).ToList(),
            o.Events.Select(e => new OrderEventView(e.EventId, OrderStatuses.Name(e.Status), e.At, e.Actor, e.Reason, e.Applied)).ToList(),
            o.Dispenses.Select(Parse).ToList(),
            prescription is null ? null : PrescriptionView.From(prescription));

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

public sealed record OrderStatusInput(string? Status, string? Reason);

public sealed record CancelOrderInput(string? Reason);

/// <summary>202: the event is queued; the order changes when it is processed (GET the order, or watch the callbacks).</summary>
public sealed record OrderEventAccepted(string OrderId, string EventId, string Requested);

public sealed record RegisterEntryView(string Id, DateTimeOffset DispensedAt, string PrescriberHprId, string PatientAbhaNumber, string DrugCode,
    string DrugName, string Schedule, int Quantity, string PharmacyId, string PrescriptionId, string OrderId)
{
    public static RegisterEntryView From(DispensingRegisterEntry e) =>
        new(e.Id, e.DispensedAt, e.PrescriberHprId, e.PatientNumber, e.DrugCode, e.DrugName, e.Schedule.ToString().ToUpperInvariant(), e.Quantity,
            e.PharmacyId, e.PrescriptionId, e.OrderId);
}

public sealed record RegisterPage(IReadOnlyList<RegisterEntryView> Entries);

public sealed record PoisonMessagesView(string Queue, IReadOnlyList<Ndhm.Pharmacy.PoisonMessage> Messages);

/// <summary>Sandbox only: the consultation facts a prescription is checked against (until telemedicine consultations back them).</summary>
public sealed record SandboxConsultationInput(
    string? ConsultationId, string? DoctorHprId, string? PatientAbhaNumber, string? Mode, bool? IsFollowUp, string? ConditionCode, string? FacilityId,
    string? Status);

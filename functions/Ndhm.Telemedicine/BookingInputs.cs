namespace Ndhm.Telemedicine;

/// <summary>
/// UHI <c>search</c> intent: any combination; <see cref="Latitude"/>/<see cref="Longitude"/> (the patient's location)
/// need <see cref="RadiusKm"/> (the maximum distance). <see cref="OrderBy"/>: <c>distance</c> (nearest first, then by
/// start; the default with a location) or <c>start</c> (soonest first; the default, and the only order without one).
/// </summary>
public sealed record SlotSearch(
    string? Specialty = null,
    string? Language = null,
    string? DoctorName = null,
    decimal? MaxFeeInr = null,
    string? Mode = null,
    DateTimeOffset? EarliestStart = null,
    DateTimeOffset? LatestStart = null,
    double? Latitude = null,
    double? Longitude = null,
    double? RadiusKm = null,
    int? Limit = null,
    string? OrderBy = null);

/// <summary>One bookable slot as the catalogue shows it.</summary>
public sealed record SlotOffer(
    string SlotId,
    string DoctorHprId,
    string DoctorName,
    string Specialty,
    string FacilityId,
    string FacilityName,
    DateTimeOffset Start,
    int DurationMinutes,
    decimal FeeInr,
    IReadOnlyList<string> Languages,
    IReadOnlyList<string> Modes,
    double? DistanceKm)
{
    public static SlotOffer From(Slot slot, double? distanceKm = null) => new(slot.Id, slot.DoctorHprId, slot.DoctorName, slot.Specialty,
        slot.FacilityId, slot.FacilityName, slot.Start, slot.DurationMinutes, slot.FeePaise / 100m, slot.Languages,
        slot.Modes.Select(ConsultationModes.Name).ToList(), distanceKm);
}

/// <summary>UHI <c>on_select</c>: the offer, its price and the terms that apply if the patient books it.</summary>
public sealed record SlotQuote(SlotOffer Offer, decimal PriceInr, int HoldMinutes, IReadOnlyList<string> CancellationTerms);

/// <param name="SlotId">The slot to hold.</param>
/// <param name="Mode">video, audio or chat: one the slot offers.</param>
/// <param name="FollowUpOf">An earlier completed appointment with the same doctor this one follows up.</param>
public sealed record InitInput(string? SlotId, string? Mode, string? FollowUpOf = null);

/// <param name="PaymentReference">The payment service's reference for the fee paid (1-64 characters).</param>
/// <param name="TeleconsultationConsent">Must be true: the patient consents to being consulted remotely.</param>
public sealed record ConfirmInput(string? AppointmentId, string? PaymentReference, bool? TeleconsultationConsent);

public sealed record CancelInput(string? AppointmentId, string? Reason);

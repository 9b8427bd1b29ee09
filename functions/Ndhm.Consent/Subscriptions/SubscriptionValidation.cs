namespace Ndhm.Consent.Subscriptions;

/// <summary>
/// Checks what a subscription request says on its own (ABDM <c>SubscriptionRequest.subscription</c>: purpose, patient,
/// hiu, hips, categories, period) and what the patient approves (narrower or as asked, never wider). Every refusal
/// names its field; <see cref="SubscriptionManager"/> then checks the registries and the HIU's consents.
/// </summary>
public static class SubscriptionValidation
{
    public const int MaxHips = 20;

    /// <summary>
    /// Purposes a subscription may have: follow-up care and the other standing purposes. Emergency access (BTG) is a
    /// one-off window and PATRQT is the patient's own request, so neither subscribes.
    /// </summary>
    public static IReadOnlyList<string> Purposes { get; } =
        [ConsentCodes.CareManagement, ConsentCodes.PublicHealth, ConsentCodes.HealthcarePayment, ConsentCodes.DiseaseResearch];

    public static SubscriptionRequestDetail Validate(SubscriptionRequestInput? input, DateTimeOffset now)
    {
        if (input is null) throw SubscriptionErrors.Invalid(SubscriptionErrors.InvalidSubscriptionRequest, "subscription is required.", "subscription");
        var purpose = input.Purpose;
        if (purpose?.Code is not { } code || !Purposes.Contains(code))
            throw SubscriptionErrors.Invalid(ConsentErrors.InvalidPurpose, $"purpose.code must be one of {string.Join(", ", Purposes)}.", "subscription.purpose.code");
        var text = purpose.Text?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > ConsentRequestValidation.MaxText)
            throw SubscriptionErrors.Invalid(SubscriptionErrors.InvalidSubscriptionRequest, "purpose.text is required (at most 256 characters).", "subscription.purpose.text");
        if (purpose.RefUri is { } uri && !Uri.TryCreate(uri, UriKind.Absolute, out _))
            throw SubscriptionErrors.Invalid(ConsentErrors.InvalidPurpose, "purpose.refUri must be an absolute URI.", "subscription.purpose.refUri");

        var patientId = input.Patient?.Id?.Trim().ToLowerInvariant();
        if (!ConsentRequestValidation.IsAbhaAddress(patientId))
            throw SubscriptionErrors.Invalid(ConsentErrors.InvalidPatient, "patient.id must be the patient's ABHA address (handle@suffix).", "subscription.patient.id");
        var hiu = Facility(input.Hiu?.Id, "subscription.hiu.id", SubscriptionErrors.InvalidSubscriptionRequest);
        var hips = Hips(input.Hips, hiu, "subscription.hips");
        var categories = Categories(input.Categories, "subscription.categories");
        var period = Period(input.Period, "subscription.period");
        if (period.To <= now)
            throw SubscriptionErrors.Invalid(SubscriptionErrors.InvalidPeriod, "period.to must be in the future.", "subscription.period.to", ConsentErrors.Abdm.InvalidDateRange);
        return new SubscriptionRequestDetail(new ConsentPurpose(text, code, purpose.RefUri), new IdReference(patientId!), new IdReference(hiu), hips,
            categories, period);
    }

    /// <summary>
    /// The sources the patient approves: as requested (one per requested HIP, or one for any HIP), or narrower. A HIP
    /// not requested (when the request named HIPs), a category not requested or a period outside the requested one
    /// is 400 GRANT_WIDENS naming the field.
    /// </summary>
    public static IReadOnlyList<SubscriptionSource> Narrow(SubscriptionRequestDetail request, SubscriptionGrantInput? input)
    {
        if (input?.Sources is not { Count: > 0 } given)
        {
            return request.Hips.Count == 0
                ? [new SubscriptionSource(null, request.Categories, request.Period)]
                : request.Hips.Select(h => new SubscriptionSource(h, request.Categories, request.Period)).ToList();
        }

        if (given.Count > MaxHips) throw SubscriptionErrors.Invalid(SubscriptionErrors.InvalidSubscriptionRequest, $"At most {MaxHips} sources.", "sources");
        var sources = new List<SubscriptionSource>();
        for (var i = 0; i < given.Count; i++)
        {
            var field = $"sources[{i}]";
            var source = given[i] ?? throw SubscriptionErrors.Invalid(SubscriptionErrors.InvalidSubscriptionRequest, "A source is required.", field);
            IdReference? hip = null;
            if (source.Hip?.Id is not null)
            {
                hip = new IdReference(Facility(source.Hip.Id, field + ".hip.id", ConsentErrors.InvalidHip));
                if (hip.Id == request.Hiu.Id)
                    throw SubscriptionErrors.Invalid(ConsentErrors.HipIsHiu, "The HIP and the HIU must be different facilities.", field + ".hip.id", ConsentErrors.Abdm.HipIsHiu);
                if (request.Hips.Count > 0 && !request.Hips.Contains(hip)) throw ConsentErrors.Widens(field + ".hip.id", $"HIP {hip.Id} was not requested.");
            }
            else if (request.Hips.Count > 0)
            {
                throw ConsentErrors.Widens(field + ".hip.id", "The request names its HIPs: approve them one by one.");
            }

            var categories = source.Categories is null ? request.Categories : Categories(source.Categories, field + ".categories");
            if (categories.FirstOrDefault(c => !request.Categories.Contains(c)) is { } extra)
                throw ConsentErrors.Widens(field + ".categories", $"Category {extra} was not requested.");
            var period = source.Period is null ? request.Period : Period(source.Period, field + ".period");
            if (period.From < request.Period.From) throw ConsentErrors.Widens(field + ".period.from", "period.from is earlier than requested.");
            if (period.To > request.Period.To) throw ConsentErrors.Widens(field + ".period.to", "period.to is later than requested.");
            if (sources.Any(s => s.Hip == hip))
                throw SubscriptionErrors.Invalid(SubscriptionErrors.InvalidSubscriptionRequest, "Each HIP appears once.", field + ".hip.id");
            sources.Add(new SubscriptionSource(hip, categories, period));
        }

        return sources;
    }

    private static IReadOnlyList<IdReference> Hips(IReadOnlyList<IdInput?>? given, string hiu, string field)
    {
        if (given is null || given.Count == 0) return [];
        if (given.Count > MaxHips) throw SubscriptionErrors.Invalid(SubscriptionErrors.InvalidSubscriptionRequest, $"At most {MaxHips} HIPs.", field);
        var hips = new List<IdReference>();
        for (var i = 0; i < given.Count; i++)
        {
            var id = Facility(given[i]?.Id, $"{field}[{i}].id", ConsentErrors.InvalidHip);
            if (id == hiu)
                throw SubscriptionErrors.Invalid(ConsentErrors.HipIsHiu, "The HIP and the HIU must be different facilities.", $"{field}[{i}].id", ConsentErrors.Abdm.HipIsHiu);
            if (!hips.Contains(new IdReference(id))) hips.Add(new IdReference(id));
        }

        return hips;
    }

    private static IReadOnlyList<string> Categories(IReadOnlyList<string?>? given, string field)
    {
        if (given is null || given.Count == 0)
            throw SubscriptionErrors.Invalid(SubscriptionErrors.InvalidCategory, "categories must name LINK and/or DATA.", field);
        if (given.Any(c => c is null || !SubscriptionCategories.All.Contains(c)))
            throw SubscriptionErrors.Invalid(SubscriptionErrors.InvalidCategory, "categories must be LINK or DATA.", field);
        return given.Select(c => c!).Distinct(StringComparer.Ordinal).ToList();
    }

    private static DateRange Period(DateRangeInput? period, string field)
    {
        if (period?.From is not { } from || period.To is not { } to)
            throw SubscriptionErrors.Invalid(SubscriptionErrors.InvalidPeriod, "period.from and period.to are required.", field, ConsentErrors.Abdm.InvalidDateRange);
        if (from >= to)
            throw SubscriptionErrors.Invalid(SubscriptionErrors.InvalidPeriod, "period.from must be before period.to.", field, ConsentErrors.Abdm.InvalidDateRange);
        return new DateRange(from.ToUniversalTime(), to.ToUniversalTime());
    }

    private static string Facility(string? id, string field, string code) =>
        Ndhm.Registry.Facilities.FacilityId.TryParse(id?.Trim(), out var parsed)
            ? parsed.Value
            : throw SubscriptionErrors.Invalid(code, $"{field} must be a facility id (HFR, e.g. IN2810014366).", field,
                code == ConsentErrors.InvalidHip ? ConsentErrors.Abdm.InvalidHip : ConsentErrors.Abdm.InvalidRequest);
}

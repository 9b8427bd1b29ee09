namespace Ndhm.Consent;

/// <summary>What the patient grants; every part optional (absent: as requested).</summary>
public sealed record GrantInput(IReadOnlyList<GrantHipInput?>? Hips, IReadOnlyList<string?>? HiTypes, DateRangeInput? DateRange);

public sealed record GrantHipInput(string? Id, IReadOnlyList<CareContextInput?>? CareContexts);

public sealed record GrantedHip(string HipId, IReadOnlyList<CareContextRef> CareContexts);

/// <summary>A grant resolved against its request: the HIPs (each with its care contexts), hiTypes and date range.</summary>
public sealed record GrantDecision(IReadOnlyList<GrantedHip> Hips, IReadOnlyList<string> HiTypes, DateRange DateRange)
{
    public const int MaxHips = 20;

    /// <summary>
    /// The grant the patient may give: the request, or less. A HIP, care context, hiType or date outside what was
    /// requested is refused (GRANT_WIDENS naming the field); nothing is silently dropped.
    /// </summary>
    public static GrantDecision Narrow(ConsentRequestDetail request, GrantInput? input)
    {
        var hiTypes = input?.HiTypes is null ? request.HiTypes : ConsentRequestValidation.HiTypes(input.HiTypes, "hiTypes");
        if (hiTypes.FirstOrDefault(t => !request.HiTypes.Contains(t)) is { } extraType)
            throw ConsentErrors.Widens("hiTypes", $"hiType {extraType} was not requested.");

        var requested = request.Permission.DateRange;
        var range = input?.DateRange is null ? requested : ConsentRequestValidation.Range(input.DateRange, "dateRange");
        if (range.From < requested.From) throw ConsentErrors.Widens("dateRange.from", "dateRange.from is earlier than requested.");
        if (range.To > requested.To) throw ConsentErrors.Widens("dateRange.to", "dateRange.to is later than requested.");

        return new GrantDecision(ResolveHips(request, input?.Hips), hiTypes, range);
    }

    private static IReadOnlyList<GrantedHip> ResolveHips(ConsentRequestDetail request, IReadOnlyList<GrantHipInput?>? given)
    {
        if (given is null || given.Count == 0)
        {
            return request.Hip is { } hip && request.CareContexts is { Count: > 0 } contexts
                ? [new GrantedHip(hip.Id, contexts)]
                : throw ConsentErrors.Invalid(ConsentErrors.InvalidConsentRequest,
                    "Name the HIPs and care contexts to share (the request does not name them).", "hips");
        }

        if (given.Count > MaxHips) throw ConsentErrors.Invalid(ConsentErrors.InvalidConsentRequest, $"At most {MaxHips} HIPs.", "hips");
        var hips = new List<GrantedHip>();
        for (var i = 0; i < given.Count; i++)
        {
            var field = $"hips[{i}]";
            var id = ConsentRequestValidation.Facility(given[i]?.Id, field + ".id", ConsentErrors.InvalidHip);
            if (request.Hip is { } onlyHip && onlyHip.Id != id) throw ConsentErrors.Widens(field + ".id", $"HIP {id} was not requested.");
            if (id == request.Hiu.Id)
                throw ConsentErrors.Invalid(ConsentErrors.HipIsHiu, "The HIP and the HIU must be different facilities.", field + ".id", ConsentErrors.Abdm.HipIsHiu);
            if (hips.Any(h => h.HipId == id)) throw ConsentErrors.Invalid(ConsentErrors.InvalidConsentRequest, $"HIP {id} is named twice.", field + ".id");

            var contexts = given[i]!.CareContexts is { Count: > 0 } listed
                ? listed.Select((c, j) => new CareContextRef(
                    Required(c?.PatientReference, $"{field}.careContexts[{j}].patientReference"),
                    Required(c?.CareContextReference, $"{field}.careContexts[{j}].careContextReference"))).Distinct().ToList()
                : request.Hip is not null && request.CareContexts is { Count: > 0 } requestedContexts
                    ? requestedContexts.ToList()
                    : throw ConsentErrors.Invalid(ConsentErrors.InvalidConsentRequest, "Name at least one care context for this HIP.", field + ".careContexts");
            if (contexts.Count > ConsentRequestValidation.MaxCareContexts)
                throw ConsentErrors.Invalid(ConsentErrors.InvalidConsentRequest, "Too many care contexts.", field + ".careContexts");
            if (request.Hip is not null && request.CareContexts is { Count: > 0 } allowed
                && contexts.FirstOrDefault(c => !allowed.Contains(c)) is { } extra)
                throw ConsentErrors.Widens(field + ".careContexts", $"Care context {extra.CareContextReference} was not requested.");
            hips.Add(new GrantedHip(id, contexts));
        }

        return hips;
    }

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) || value.Trim().Length > ConsentRequestValidation.MaxText
            ? throw ConsentErrors.Invalid(ConsentErrors.InvalidConsentRequest, $"{field} is required (at most {ConsentRequestValidation.MaxText} characters).", field)
            : value.Trim();
}

namespace Ndhm.Consent;

/// <summary>The <c>consent</c> object as a HIU sends it (every field optional here, so validation names what is missing).</summary>
public sealed record ConsentRequestInput(
    PurposeInput? Purpose,
    IdInput? Patient,
    IdInput? Hip,
    IReadOnlyList<CareContextInput?>? CareContexts,
    IdInput? Hiu,
    RequesterInput? Requester,
    IReadOnlyList<string?>? HiTypes,
    PermissionInput? Permission);

public sealed record PurposeInput(string? Text, string? Code, string? RefUri);

public sealed record IdInput(string? Id);

public sealed record CareContextInput(string? PatientReference, string? CareContextReference);

public sealed record RequesterInput(string? Name, RequesterIdentifierInput? Identifier);

public sealed record RequesterIdentifierInput(string? Type, string? Value, string? System);

public sealed record DateRangeInput(DateTimeOffset? From, DateTimeOffset? To);

public sealed record FrequencyInput(string? Unit, int? Value, int? Repeats);

public sealed record PermissionInput(string? AccessMode, DateRangeInput? DateRange, DateTimeOffset? DataEraseAt, FrequencyInput? Frequency);

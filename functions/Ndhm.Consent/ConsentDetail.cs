namespace Ndhm.Consent;

/// <summary>ABDM <c>UsePurpose</c>.</summary>
public sealed record ConsentPurpose(string Text, string Code, string? RefUri);

/// <summary>ABDM <c>ConsentManagerPatientID</c> / <c>OrganizationRepresentation</c>: an object with an <c>id</c>.</summary>
public sealed record IdReference(string Id);

/// <summary>ABDM <c>CareContextDefinition</c>: the patient's reference at the HIP and the care context there.</summary>
public sealed record CareContextRef(string PatientReference, string CareContextReference);

public sealed record RequesterIdentifier(string? Type, string? Value, string? System);

/// <summary>ABDM <c>Requester</c>: the professional asking, with an identifier (here the HPR id).</summary>
public sealed record Requester(string Name, RequesterIdentifier? Identifier);

public sealed record DateRange(DateTimeOffset From, DateTimeOffset To);

public sealed record Frequency(string Unit, int Value, int Repeats);

/// <summary>ABDM <c>Permission</c>.</summary>
public sealed record Permission(string AccessMode, DateRange DateRange, DateTimeOffset DataEraseAt, Frequency Frequency);

/// <summary>The <c>consent</c> object of ABDM's <c>ConsentRequest</c> (consent-requests/init), validated.</summary>
public sealed record ConsentRequestDetail(
    ConsentPurpose Purpose,
    IdReference Patient,
    IdReference? Hip,
    IReadOnlyList<CareContextRef>? CareContexts,
    IdReference Hiu,
    Requester Requester,
    IReadOnlyList<string> HiTypes,
    Permission Permission)
{
    public bool IsEmergency => Purpose.Code == ConsentCodes.BreakTheGlass;
}

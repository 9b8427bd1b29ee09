using Ndhm.Core.Errors;

namespace Ndhm.Consent;

/// <summary>ABDM <c>ConsentStatus</c>.</summary>
public enum ConsentStatus
{
    Requested,
    Granted,
    Denied,
    Revoked,
    Expired,
}

public static class ConsentStatuses
{
    public static string Name(ConsentStatus status) => status.ToString().ToUpperInvariant();

    public static bool TryParse(string? value, out ConsentStatus status)
    {
        status = default;
        return value is not null && value == value.ToUpperInvariant() && Enum.TryParse(value, ignoreCase: true, out status)
               && Enum.IsDefined(status);
    }

    public static ConsentStatus Parse(string? value) =>
        TryParse(value, out var status)
            ? status
            : throw new DomainException(ErrorKind.Validation, ErrorCodes.InvalidRequest, "Unknown consent status.",
                "One of REQUESTED, GRANTED, DENIED, REVOKED, EXPIRED.");
}

/// <summary>
/// The one place the consent life cycle is decided: REQUESTED -> GRANTED | DENIED | EXPIRED; GRANTED -> REVOKED |
/// EXPIRED; nothing else. DENIED, REVOKED and EXPIRED are final.
/// </summary>
public static class ConsentStateMachine
{
    public static bool IsAllowed(ConsentStatus from, ConsentStatus to) => (from, to) switch
    {
        (ConsentStatus.Requested, ConsentStatus.Granted or ConsentStatus.Denied or ConsentStatus.Expired) => true,
        (ConsentStatus.Granted, ConsentStatus.Revoked or ConsentStatus.Expired) => true,
        _ => false,
    };

    public static bool IsFinal(ConsentStatus status) => status is ConsentStatus.Denied or ConsentStatus.Revoked or ConsentStatus.Expired;
}

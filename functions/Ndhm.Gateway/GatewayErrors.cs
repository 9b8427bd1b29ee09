using Ndhm.Core.Errors;

namespace Ndhm.Gateway;

/// <summary>Stable error codes of partners, sessions, deliveries and the inbound gateway checks.</summary>
public static class GatewayErrors
{
    public const string InvalidClientId = "INVALID_CLIENT_ID";
    public const string InvalidPartnerRoles = "INVALID_PARTNER_ROLES";
    public const string InvalidBridgeUrl = "INVALID_BRIDGE_URL";
    public const string InvalidFacilityId = "INVALID_FACILITY_ID";
    public const string PartnerExists = "PARTNER_EXISTS";
    public const string PartnerNotFound = "PARTNER_NOT_FOUND";
    public const string InvalidCredentials = "INVALID_CLIENT_CREDENTIALS";
    public const string UnsupportedGrantType = "UNSUPPORTED_GRANT_TYPE";
    public const string DeliveryNotFound = "DELIVERY_NOT_FOUND";
    public const string DeliveryNotDeadLettered = "DELIVERY_NOT_DEAD_LETTERED";
    public const string InvalidDeliveryStatus = "INVALID_DELIVERY_STATUS";
    public const string MissingRequestId = "MISSING_REQUEST_ID";
    public const string InvalidRequestId = "INVALID_REQUEST_ID";
    public const string MissingTimestamp = "MISSING_TIMESTAMP";
    public const string InvalidTimestamp = "INVALID_TIMESTAMP";
    public const string StaleTimestamp = "STALE_TIMESTAMP";
    public const string FutureTimestamp = "FUTURE_TIMESTAMP";
    public const string RequestIdReused = "REQUEST_ID_REUSED";
    public const string PartnerEventsUnavailable = "PARTNER_EVENTS_UNAVAILABLE";
    public const string FacilityNotServed = "FACILITY_NOT_SERVED";

    public static DomainException Invalid(string code, string title, string? detail = null) =>
        new(ErrorKind.Validation, code, title, detail);
}

using Ndhm.Core.Abdm;
using Ndhm.Core.Errors;

namespace Ndhm.DataTransfer;

/// <summary>The data-transfer capability's stable codes, each with ABDM's code beside it (<see cref="AbdmErrors"/>).</summary>
public static class DataTransferErrors
{
    public const string InvalidHiRequest = "INVALID_HI_REQUEST";
    public const string ConsentNotFound = "CONSENT_NOT_FOUND";
    public const string ConsentNotGranted = "CONSENT_NOT_GRANTED";
    public const string ConsentExpired = "CONSENT_EXPIRED";
    public const string ConsentRevoked = "CONSENT_REVOKED";
    public const string DateRangeOutsideConsent = "DATE_RANGE_OUTSIDE_CONSENT";
    public const string FrequencyExceeded = "CONSENT_FREQUENCY_EXCEEDED";
    public const string InvalidKeyMaterial = "INVALID_KEY_MATERIAL";
    public const string KeyMaterialExpired = "KEY_MATERIAL_EXPIRED";
    public const string InvalidDataPushUrl = "INVALID_DATA_PUSH_URL";
    public const string TransactionNotFound = "TRANSACTION_NOT_FOUND";
    public const string TransactionClosed = "TRANSACTION_CLOSED";
    public const string NotAHipOfTransaction = "NOT_A_HIP_OF_TRANSACTION";
    public const string HipNoPush = "HIP_NO_PUSH_IN_TIME";
    public const string HipReportedError = "HIP_REPORTED_ERROR";
    public const string HipRefused = "HIP_REFUSED";
    public const string NotReported = "NOT_REPORTED";
    public const string TransferTimedOut = "TRANSFER_TIMED_OUT";

    public static DomainException Invalid(string detail, string field, string code = InvalidHiRequest) =>
        new(ErrorKind.Validation, code, "The health information request is invalid.", detail,
            new Dictionary<string, object?> { [AbdmErrors.ExtensionKey] = AbdmErrors.InvalidRequest, ["field"] = field });

    public static DomainException NoSuchConsent() =>
        AbdmErrors.Error(ErrorKind.NotFound, AbdmErrors.NotFound, ConsentNotFound, "No such consent artefact for this HIU.",
            "hiRequest.consent.id must name an artefact granted to you.");

    public static DomainException NotGranted(string status) =>
        AbdmErrors.Error(ErrorKind.Conflict, AbdmErrors.ConsentNotGranted, status == "REVOKED" ? ConsentRevoked : ConsentNotGranted,
            "The consent is not granted.", $"Its status is {status}.");

    public static DomainException Expired(DateTimeOffset at) =>
        AbdmErrors.Error(ErrorKind.Conflict, AbdmErrors.ConsentExpired, ConsentExpired, "The consent has expired.",
            $"It expired at {AbdmTimestamp.Of(at)}.");

    public static DomainException OutsideRange(string detail) =>
        AbdmErrors.Error(ErrorKind.Validation, AbdmErrors.InvalidDateRange, DateRangeOutsideConsent,
            "The requested date range is not inside the consent's.", detail);

    public static DomainException TooOften(string detail) =>
        AbdmErrors.Error(ErrorKind.TooManyRequests, AbdmErrors.TooManyRequests, FrequencyExceeded,
            "The consent's frequency allows no further request now.", detail);

    public static DomainException TransactionMissing() =>
        AbdmErrors.Error(ErrorKind.NotFound, AbdmErrors.InvalidTransactionId, TransactionNotFound, "No such health-information transaction.");

    public static DomainException Closed(TransferStatus status) =>
        AbdmErrors.Error(ErrorKind.Conflict, AbdmErrors.InvalidTransactionId, TransactionClosed, "The transaction is closed.",
            $"It closed {TransferStatuses.Name(status)}.");
}

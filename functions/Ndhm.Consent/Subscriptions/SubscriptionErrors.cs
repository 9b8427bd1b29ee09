using Ndhm.Core.Errors;

namespace Ndhm.Consent.Subscriptions;

/// <summary>
/// Subscription codes (ours, with ABDM's code beside them as for consents: <see cref="ConsentErrors.AbdmCode"/>).
/// Codes the consent request shares (purpose, patient, HIP, HIU, widening grants) are the consent's.
/// </summary>
public static class SubscriptionErrors
{
    public const string InvalidSubscriptionRequest = "INVALID_SUBSCRIPTION_REQUEST";
    public const string InvalidCategory = "INVALID_CATEGORY";
    public const string InvalidPeriod = "INVALID_PERIOD";
    public const string NoSubscribableConsent = "NO_SUBSCRIBABLE_CONSENT";
    public const string SubscriptionRequestNotFound = "SUBSCRIPTION_REQUEST_NOT_FOUND";
    public const string SubscriptionNotPending = "SUBSCRIPTION_NOT_PENDING";
    public const string SubscriptionNotGranted = "SUBSCRIPTION_NOT_GRANTED";
    public const string NotificationNotFound = "SUBSCRIPTION_NOTIFICATION_NOT_FOUND";

    public static DomainException Invalid(string code, string detail, string field, string abdm = ConsentErrors.Abdm.InvalidRequest) =>
        new(ErrorKind.Validation, code, "The subscription request is invalid.",
            detail.Contains(field, StringComparison.Ordinal) ? detail : $"{field}: {detail}",
            new Dictionary<string, object?> { [ConsentErrors.AbdmCode] = abdm, [ConsentErrors.Field] = field });

    public static DomainException NoConsent(string hiuId) =>
        new(ErrorKind.Forbidden, NoSubscribableConsent, "The HIU holds no STREAM or QUERY consent of this patient.",
            $"A subscription needs a GRANTED consent with access mode STREAM or QUERY from this patient to facility {hiuId}, asked by this partner.",
            new Dictionary<string, object?> { [ConsentErrors.AbdmCode] = ConsentErrors.Abdm.ConsentNotGranted, [ConsentErrors.Field] = "subscription.patient.id" });

    public static DomainException RequestNotFound() =>
        new(ErrorKind.NotFound, SubscriptionRequestNotFound, "No such subscription request.", null,
            new Dictionary<string, object?> { [ConsentErrors.AbdmCode] = ConsentErrors.Abdm.ConsentNotFound });

    public static DomainException NotPending(ConsentStatus status) =>
        new(ErrorKind.Conflict, SubscriptionNotPending, "The subscription request is no longer awaiting a decision.",
            $"Its status is {ConsentStatuses.Name(status)}.",
            new Dictionary<string, object?> { [ConsentErrors.AbdmCode] = status == ConsentStatus.Expired ? ConsentErrors.Abdm.ConsentExpired : ConsentErrors.Abdm.InvalidRequest });

    public static DomainException NotGranted(ConsentStatus status) =>
        new(ErrorKind.Conflict, SubscriptionNotGranted, "The subscription is not granted.", $"Its status is {ConsentStatuses.Name(status)}.",
            new Dictionary<string, object?> { [ConsentErrors.AbdmCode] = status == ConsentStatus.Expired ? ConsentErrors.Abdm.ConsentExpired : ConsentErrors.Abdm.ConsentNotGranted });

    public static DomainException NoSuchNotification(string field) =>
        new(ErrorKind.NotFound, NotificationNotFound, "No such notification was sent to this partner.",
            $"{field} must name a subscription notification sent to you.",
            new Dictionary<string, object?> { [ConsentErrors.AbdmCode] = ConsentErrors.Abdm.ConsentNotFound, [ConsentErrors.Field] = field });
}

using System.ComponentModel.DataAnnotations;
using Ndhm.Fidelius;

namespace Ndhm.DataTransfer;

/// <summary>ABDM <c>hiRequest</c> of <c>HIRequest</c> (cm/request) and <c>HIPHIRequest</c> (hip/request); every field optional here so validation names what is missing.</summary>
public sealed record HiRequestInput(HiConsentRef? Consent, HiDateRange? DateRange, string? DataPushUrl, AbdmKeyMaterial? KeyMaterial);

public sealed record HiConsentRef(string? Id);

public sealed record HiDateRange(DateTimeOffset? From, DateTimeOffset? To);

/// <summary>ABDM <c>DataNotification</c>: the body of <c>POST {dataPushUrl}</c> (<c>/v0.5/health-information/transfer</c>).</summary>
public sealed record DataPushPage(int PageNumber, int PageCount, string? TransactionId, IReadOnlyList<DataPushEntry>? Entries, AbdmKeyMaterial? KeyMaterial);

/// <summary>
/// ABDM <c>EntryContent</c> or <c>EntryLink</c>: encrypted content (or a link to it), its media type, checksum and care
/// context. <c>content</c> is base64 ciphertext of a whole bundle: far past the default text limit of a JSON field; the
/// request body limit bounds it instead.
/// </summary>
public sealed record DataPushEntry([property: MaxLength(int.MaxValue)] string? Content, string? Link, string? Media, string? Checksum, string? CareContextReference);

/// <summary>ABDM <c>HealthInformationNotification.notification</c> (POST /v0.5/health-information/notify).</summary>
public sealed record HiNotification(string? ConsentId, string? TransactionId, DateTimeOffset? DoneAt, HiNotifier? Notifier, HiStatusNotification? StatusNotification);

public sealed record HiNotifier(string? Type, string? Id);

public sealed record HiStatusNotification(string? SessionStatus, string? HipId, IReadOnlyList<HiCareContextStatus?>? StatusResponses);

public sealed record HiCareContextStatus(string? CareContextReference, string? HiStatus, string? Description);

/// <summary>ABDM <c>hiRequest</c> of <c>HIPHealthInformationRequestAcknowledgement</c> (hip/on-request).</summary>
public sealed record HiAcknowledgement(string? TransactionId, string? SessionStatus);

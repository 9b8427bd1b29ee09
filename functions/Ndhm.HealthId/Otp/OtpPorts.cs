using Ndhm.Core.Concurrency;
using Ndhm.HealthId.Identity;

namespace Ndhm.HealthId.Otp;

/// <summary>
/// Port: OTP transaction documents. <see cref="ReplaceAsync"/> sends If-Match and, when the document changed
/// meanwhile, throws <see cref="Ndhm.Core.Errors.DomainException"/> of kind PreconditionFailed
/// (code <see cref="Ndhm.Core.Errors.ErrorCodes.ConcurrentUpdate"/>): of two concurrent verifies only one wins.
/// </summary>
public interface IOtpTransactionStore
{
    Task<Versioned<OtpTransaction>?> FindAsync(string txnId, CancellationToken ct);

    /// <summary>Creates the document; returns its ETag.</summary>
    Task<string> CreateAsync(OtpTransaction transaction, CancellationToken ct);

    /// <summary>Replaces the document if its ETag is still <paramref name="ifMatch"/>; returns the new ETag.</summary>
    Task<string> ReplaceAsync(OtpTransaction transaction, string ifMatch, CancellationToken ct);
}

/// <summary>Port: the per-mobile rate windows, with the same ETag contract as <see cref="IOtpTransactionStore"/>.</summary>
public interface IMobileOtpWindowStore
{
    Task<Versioned<MobileOtpWindow>?> FindAsync(string mobileHash, CancellationToken ct);

    /// <summary>Creates (<paramref name="ifMatch"/> null: fails with PreconditionFailed if it exists) or replaces.</summary>
    Task<string> SaveAsync(MobileOtpWindow window, string? ifMatch, CancellationToken ct);
}

/// <summary>What the OTP sender delivers (an SMS gateway in Azure; the sandbox records it for test harnesses).</summary>
public sealed record OtpDelivery(MobileNumber To, string Otp, OtpPurpose Purpose, string TxnId, DateTimeOffset ExpiresAt);

/// <summary>Port: delivers an OTP. Implementations must not log <see cref="OtpDelivery.Otp"/> or the full number.</summary>
public interface IOtpSender
{
    Task SendAsync(OtpDelivery delivery, CancellationToken ct);
}

using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Kyc;
using Ndhm.HealthId.Otp;

namespace Ndhm.HealthId.Enrolment;

/// <summary>
/// The OTP that starts an enrolment (public or assisted): Aadhaar (e-KYC OTP) or mobile (our OTP). With the
/// <c>txnId</c> of an earlier request (and the same <c>loginId</c>) it is a resend: a new code for that transaction.
/// Each request (resends too) counts against the Aadhaar number's or mobile's per-target limit first.
/// </summary>
public sealed class EnrolmentOtpRequests(IAadhaarKyc kyc, OtpService otp)
{
    public async Task<OtpIssued> RequestAsync(string loginHint, string loginId, string? resendTxnId, CancellationToken ct)
    {
        switch (loginHint.ToLowerInvariant())
        {
            case "aadhaar":
                var aadhaar = AadhaarNumber.Parse(loginId);
                await otp.TargetLimits.CountRequestAsync(aadhaar, ct).ConfigureAwait(false);
                var sent = string.IsNullOrWhiteSpace(resendTxnId)
                    ? await kyc.SendOtpAsync(aadhaar, ct).ConfigureAwait(false)
                    : await kyc.ResendOtpAsync(resendTxnId, aadhaar, ct).ConfigureAwait(false);
                return new OtpIssued(sent.TxnId, sent.Message, sent.ExpiresAt);
            case "mobile":
                var mobile = MobileNumber.Parse(loginId);
                await otp.TargetLimits.CountRequestAsync(mobile, ct).ConfigureAwait(false);
                return string.IsNullOrWhiteSpace(resendTxnId)
                    ? await otp.RequestAsync(OtpPurpose.MobileEnrolment, mobile, null, null, ct).ConfigureAwait(false)
                    : await otp.ResendAsync(resendTxnId, OtpPurpose.MobileEnrolment, mobile, ct).ConfigureAwait(false);
            default:
                throw HealthIdErrors.InvalidRequest("loginHint must be aadhaar or mobile.");
        }
    }
}

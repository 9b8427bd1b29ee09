using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Consent;
using Ndhm.HealthId.Documents;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Verification;

namespace Ndhm.HealthId.Kyc;

/// <summary>
/// Assisted enrolment by Aadhaar biometrics at a counter of a verified facility: the health worker's device captures
/// the holder, UIDAI authenticates the PID block (<see cref="IAadhaarBiometricKyc"/>), and the KYC opens (or finds) the
/// Aadhaar-verified ABHA exactly as the OTP route does, one per Aadhaar. Biometrics pass through, never stored.
/// </summary>
public sealed class BiometricEnrolmentService(
    IAadhaarBiometricKyc biometrics,
    IFacilityStanding facilities,
    AbhaEnrolmentService enrolment,
    HealthIdAudit audit)
{
    public async Task<EnrolmentResult> EnrolAsync(AadhaarNumber aadhaar, BiometricModality modality, string pidBlock,
        AssistedEnrolment worker, AcceptedConsent consent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(worker);
        if (string.IsNullOrWhiteSpace(worker.FacilityId) || !await facilities.IsVerifiedAndActiveAsync(worker.FacilityId, ct).ConfigureAwait(false))
            throw new Core.Errors.DomainException(Core.Errors.ErrorKind.Forbidden, DocumentErrors.FacilityNotVerified, "Facility not verified",
                "Biometric enrolment is done at the counter of a verified, active facility (the token's facilityId claim).");
        var verified = await biometrics.AuthenticateAsync(aadhaar, modality, pidBlock, ct).ConfigureAwait(false);
        var result = await enrolment.EnrolVerifiedKycAsync(verified, mobileVerified: false, worker, consent, ct).ConfigureAwait(false);
        await audit.RecordPatientAsync(result.Account.AbhaNumber, "abha.enrol.biometric", result.IsNew ? "NEW" : "EXISTING", ct)
            .ConfigureAwait(false);
        return result;
    }
}

using Ndhm.HealthId.Demographic;

namespace Ndhm.Triggers.HealthId;

/// <summary>A worker asks for the OTP that links <c>mobile</c> to the ABHA <c>abhaNumber</c> (one without a verified mobile).</summary>
public sealed record AssistedMobileLinkOtpRequest(string? AbhaNumber, string? Mobile);

/// <summary>The OTP the person read out (<c>authData.otp.txnId</c>, <c>otpValue</c>, <c>mobile</c>) and the worker's attestation.</summary>
public sealed record AssistedMobileLinkRequest(string? AbhaNumber, AuthData? AuthData, OfflineAttestation? Attestation);

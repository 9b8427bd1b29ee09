using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ndhm.Core.Configuration;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Cards;
using Ndhm.HealthId.DataRights;
using Ndhm.HealthId.Documents;
using Ndhm.HealthId.Encryption;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Kyc;
using Ndhm.HealthId.Login;
using Ndhm.HealthId.Demographic;
using Ndhm.HealthId.Nominees;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;
using Ndhm.HealthId.Verification;
using Ndhm.Infrastructure.Configuration;
using Ndhm.Infrastructure.HealthId.Cards;
using Ndhm.Privacy.Export;

namespace Ndhm.Infrastructure.HealthId;

/// <summary>Settings the Health ID capability reads (all optional but the address suffix).</summary>
public sealed record HealthIdSettings
{
    public bool IsSandbox { get; init; }
    public OtpPolicy OtpPolicy { get; init; } = OtpPolicy.Default;
    public TimeSpan PatientTokenLifetime { get; init; } = PatientSessionLifetimes.Default.Access;
    public TimeSpan RefreshTokenLifetime { get; init; } = PatientSessionLifetimes.Default.Refresh;

    public static HealthIdSettings FromConfiguration(IConfiguration configuration)
    {
        var policy = OtpPolicy.Default;
        if (int.TryParse(configuration.GetSetting(SettingNames.HealthIdOtpValiditySeconds), out var validity) && validity > 0)
            policy = policy with { Validity = TimeSpan.FromSeconds(validity) };
        if (int.TryParse(configuration.GetSetting(SettingNames.HealthIdOtpMaxRequestsPerMobile), out var max) && max > 0)
            policy = policy with { MaxRequestsPerMobile = max };
        if (int.TryParse(configuration.GetSetting(SettingNames.HealthIdOtpResendAfterSeconds), out var resend) && resend >= 0)
            policy = policy with { ResendAfter = TimeSpan.FromSeconds(resend) };
        return new HealthIdSettings
        {
            IsSandbox = string.Equals(configuration.GetSetting(SettingNames.Environment), "Sandbox", StringComparison.OrdinalIgnoreCase),
            OtpPolicy = policy,
            PatientTokenLifetime = int.TryParse(configuration.GetSetting(SettingNames.HealthIdPatientTokenMinutes), out var m) && m > 0
                ? TimeSpan.FromMinutes(m) : TimeSpan.FromMinutes(15),
            RefreshTokenLifetime = int.TryParse(configuration.GetSetting(SettingNames.HealthIdRefreshTokenHours), out var h) && h > 0
                ? TimeSpan.FromHours(h) : TimeSpan.FromHours(24),
        };
    }
}

public static class HealthIdServices
{
    /// <summary>
    /// The Health ID capability: domain services, Cosmos adapters for every store port, the wrapped-key HMAC key
    /// source, and in the sandbox the simulated Aadhaar e-KYC and the OTP outbox (elsewhere both answer 503 until
    /// real adapters exist).
    /// </summary>
    public static IServiceCollection AddHealthId(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = HealthIdSettings.FromConfiguration(configuration);
        services.TryAddSingleton(settings);
        services.TryAddSingleton(new AbhaAddressOptions
        {
            Suffix = configuration.GetSetting(SettingNames.AbhaAddressSuffix) ?? AbhaAddressOptions.SandboxSuffix,
        });
        services.TryAddSingleton<IRandomSource>(CryptoRandomSource.Instance);
        services.TryAddSingleton<IHealthIdKeySource, WrappedHealthIdKeySource>();
        services.TryAddSingleton<IIdentityHasher, HmacIdentityHasher>();
        services.TryAddSingleton<IOtpHasher, HmacOtpHasher>();
        services.TryAddSingleton<IAbhaNumberGenerator, AbhaNumberGenerator>();
        services.TryAddSingleton<AbhaNumberAllocator>();
        services.TryAddSingleton<IAbhaAccountStore, CosmosAbhaAccountStore>();
        services.TryAddSingleton<IAbhaNumberReservations, CosmosAbhaNumberReservations>();
        // One adapter class answers both ports (the address claims); each port gets its own (stateless) instance.
        services.TryAddSingleton<IIdentityClaims, CosmosIdentityClaims>();
        services.TryAddSingleton<IAbhaAddressAvailability, CosmosIdentityClaims>();
        services.TryAddSingleton<IOtpTransactionStore, CosmosOtpTransactionStore>();
        services.TryAddSingleton<IMobileOtpWindowStore, CosmosMobileOtpWindowStore>();
        services.TryAddSingleton<AbhaAddressSuggester>();
        // Health ID's audit events go to the patients' hash chains through the platform's audit trail (AuditServices).
        services.TryAddSingleton<HealthIdAudit>();
        services.TryAddSingleton<IHealthIdAuditLog>(sp => sp.GetRequiredService<HealthIdAudit>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Ndhm.Privacy.IPlaintextFieldMigration, HealthIdPersonalDataMigration>());
        services.TryAddSingleton<DemographicKeyBackfill>();
        services.TryAddSingleton<IDemographicKeyBackfill>(sp => sp.GetRequiredService<DemographicKeyBackfill>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Ndhm.Privacy.IPlaintextFieldMigration, DemographicKeyBackfill>(
            sp => sp.GetRequiredService<DemographicKeyBackfill>()));
        services.TryAddSingleton<OtpTargetLimits>();
        services.TryAddSingleton(sp => new OtpService(
            sp.GetRequiredService<IOtpTransactionStore>(), sp.GetRequiredService<IMobileOtpWindowStore>(),
            sp.GetRequiredService<IOtpSender>(), sp.GetRequiredService<IOtpHasher>(), sp.GetRequiredService<IIdentityHasher>(),
            sp.GetRequiredService<IRandomSource>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<OtpTargetLimits>(),
            settings.OtpPolicy));
        services.TryAddSingleton<AbhaEnrolmentService>();
        services.TryAddSingleton<AbhaAccountService>();
        services.TryAddSingleton<AbhaFieldEncryption>();
        services.TryAddSingleton<IAbhaCardPrinter, SkiaAbhaCardPrinter>();
        services.TryAddSingleton<AbhaCardService>();
        services.TryAddSingleton<AbhaAccountLookup>();
        services.TryAddSingleton<AbhaAccountReads>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPatientDataExportSection, AbhaProfileExportSection>());
        // The nominee (DPDP Act s.14): in the export, removed on erasure, and the authority the consent manager asks.
        services.TryAddSingleton<INominationStore, CosmosNominationStore>();
        services.TryAddSingleton<NomineeService>();
        services.TryAddSingleton<INomineeAuthority, NomineeAuthority>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPatientDataExportSection, NomineeExportSection>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPatientErasureStep, NomineeErasure>());
        services.TryAddSingleton<EnrolmentOtpRequests>();
        services.TryAddSingleton(new PatientSessionLifetimes(settings.PatientTokenLifetime, settings.RefreshTokenLifetime));
        services.TryAddSingleton<IPatientRefreshStore, CosmosPatientRefreshStore>();
        services.TryAddSingleton<PatientSessions>();
        services.TryAddSingleton<UniformLatency>();
        services.TryAddSingleton<AbhaLoginService>();
        services.TryAddSingleton<AbhaVerification>();
        services.TryAddSingleton<Ndhm.HealthId.PartnerAuth.IPartnerAuthTransactionStore, CosmosPartnerAuthTransactionStore>();
        services.TryAddSingleton<Ndhm.HealthId.PartnerAuth.PartnerAuthTokens>();
        services.TryAddSingleton<Ndhm.HealthId.PartnerAuth.PartnerAuthService>();
        services.TryAddSingleton<Ndhm.HealthId.PartnerAuth.IDirectAuthNotifier, GatewayDirectAuthNotifier>();
        services.TryAddSingleton<Ndhm.HealthId.PartnerAuth.DirectAuthService>();
        services.TryAddSingleton<IDocumentClaims, CosmosDocumentClaims>();
        services.TryAddSingleton<IDocumentReviewQueue, CosmosDocumentReviewQueue>();
        services.TryAddSingleton<IFacilityStanding, RegistryFacilityStanding>();
        services.TryAddSingleton<DocumentEnrolmentService>();
        services.TryAddSingleton<BiometricEnrolmentService>();
        services.TryAddSingleton<IDemographicClaims, CosmosDemographicClaims>();
        services.TryAddSingleton<IDemographicBatchStore, CosmosDemographicBatchStore>();
        services.TryAddSingleton<DemographicEnrolmentService>();
        services.TryAddSingleton<AssistedMobileLinkService>();

        if (settings.IsSandbox)
        {
            var extra = configuration.GetSection(SettingsConfiguration.SettingKey(SettingNames.HealthIdKycIdentities))
                .Get<List<KycTestIdentity>>() ?? [];
            services.TryAddSingleton(new SimulatedKycProvider(extra));
            services.TryAddSingleton<IKycProvider>(sp => sp.GetRequiredService<SimulatedKycProvider>());
            services.TryAddSingleton<IAadhaarKyc, SimulatedAadhaarKyc>();
            services.TryAddSingleton<IDocumentVerifier, SimulatedDocumentVerifier>();
            services.TryAddSingleton<IAadhaarBiometricKyc, SimulatedAadhaarBiometricKyc>();
            services.TryAddSingleton<IOtpSender, SandboxOtpOutbox>();
            services.TryAddSingleton<IOtpOutbox, SandboxOtpOutbox>();
            services.TryAddSingleton<IEmailOtpSender, SandboxEmailOutbox>();
            services.TryAddSingleton<IEmailOutbox, SandboxEmailOutbox>();
        }
        else
        {
            services.TryAddSingleton<IOtpSender, UnconfiguredOtpSender>();
            services.TryAddSingleton<IOtpOutbox, NoOtpOutbox>();
            services.TryAddSingleton<IEmailOtpSender, UnconfiguredEmailSender>();
            services.TryAddSingleton<IEmailOutbox, UnconfiguredEmailSender>();
            services.TryAddSingleton<IAadhaarKyc, UnconfiguredAadhaarKyc>();
            // No registry adapter yet: every document goes to a verifier at a facility.
            services.TryAddSingleton<IDocumentVerifier, ManualReviewOnlyDocumentVerifier>();
            services.TryAddSingleton<IAadhaarBiometricKyc, UnconfiguredAadhaarKyc>();
        }

        return services;
    }
}

/// <summary>Outside the sandbox no UIDAI e-KYC adapter exists yet: Aadhaar enrolment answers 503.</summary>
public sealed class UnconfiguredAadhaarKyc : IAadhaarKyc, IAadhaarBiometricKyc
{
    public Task<VerifiedKyc> AuthenticateAsync(AadhaarNumber aadhaar, BiometricModality modality, string pidBlock, CancellationToken ct) =>
        throw Unavailable();

    public Task<KycOtpSent> SendOtpAsync(AadhaarNumber aadhaar, CancellationToken ct) => throw Unavailable();
    public Task<KycOtpSent> ResendOtpAsync(string txnId, AadhaarNumber aadhaar, CancellationToken ct) => throw Unavailable();
    public Task<VerifiedKyc> VerifyOtpAsync(string txnId, string otp, CancellationToken ct) => throw Unavailable();

    private static Ndhm.Core.Errors.DomainException Unavailable() =>
        new(Ndhm.Core.Errors.ErrorKind.DependencyUnavailable, "KYC_UNAVAILABLE", "No e-KYC provider is configured",
            "This deployment has no Aadhaar e-KYC adapter.");
}

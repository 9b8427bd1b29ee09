namespace Ndhm.Core.Configuration;

/// <summary>
/// Every application setting the platform reads, by the name it has in Azure app settings and in
/// local.settings.json (<c>__</c> separates sections). The infrastructure tests check that the Bicep sets each
/// one marked <see cref="RequiredInAzureAttribute"/>; keep this the only place setting names are spelled.
/// </summary>
public static class SettingNames
{
    [RequiredInAzure] public const string CosmosEndpoint = "Cosmos__Endpoint";
    /// <summary>Emulator only: Azure uses the managed identity, never a key.</summary>
    public const string CosmosKey = "Cosmos__Key";
    [RequiredInAzure] public const string CosmosDatabase = "Cosmos__Database";
    /// <summary>Emulator only: accept the emulator's self-signed certificate.</summary>
    public const string CosmosAcceptAnyCertificate = "Cosmos__AcceptAnyCertificate";

    /// <summary>Storage for the app's own queues and blobs (connection string locally).</summary>
    public const string StorageConnection = "AzureWebJobsStorage";
    [RequiredInAzure] public const string StorageQueueServiceUri = "AzureWebJobsStorage__queueServiceUri";
    [RequiredInAzure] public const string StorageBlobServiceUri = "AzureWebJobsStorage__blobServiceUri";
    [RequiredInAzure] public const string StorageTableServiceUri = "AzureWebJobsStorage__tableServiceUri";
    [RequiredInAzure] public const string StorageCredential = "AzureWebJobsStorage__credential";
    [RequiredInAzure] public const string StorageClientId = "AzureWebJobsStorage__clientId";

    [RequiredInAzure] public const string KeyVaultUri = "KeyVault__Uri";
    [RequiredInAzure] public const string KeyVaultSigningKeyName = "KeyVault__SigningKeyName";
    [RequiredInAzure] public const string KeyVaultWrappingKeyName = "KeyVault__WrappingKeyName";
    /// <summary>The RSA-2048 key whose public half ABDM clients use to encrypt loginId and otpValue.</summary>
    [RequiredInAzure] public const string KeyVaultAbhaEncryptionKeyName = "KeyVault__AbhaEncryptionKeyName";
    /// <summary>Sandbox only: a static bearer token for the local Key Vault endpoint.</summary>
    public const string KeyVaultLocalToken = "KeyVault__LocalToken";
    /// <summary>How many signing key versions the JWKS lists (current plus previous); default 2.</summary>
    public const string KeyVaultPublishedKeyVersions = "KeyVault__PublishedKeyVersions";
    /// <summary>Seconds public keys and the current key version are cached; default 60.</summary>
    public const string KeyVaultKeyCacheSeconds = "KeyVault__KeyCacheSeconds";

    [RequiredInAzure] public const string ServiceBusNamespace = "ServiceBus__FullyQualifiedNamespace";
    [RequiredInAzure] public const string ServiceBusPartnerEventsTopic = "ServiceBus__PartnerEventsTopic";
    /// <summary>
    /// Resource id of the partner events topic (<c>/subscriptions/.../topics/partner-events</c>): where partner
    /// subscriptions are created through Azure Resource Manager. Needed only with <see cref="PartnerSubscriptionManagement"/> <c>arm</c>.
    /// </summary>
    public const string ServiceBusPartnerEventsTopicResourceId = "ServiceBus__PartnerEventsTopicResourceId";

    /// <summary>
    /// How the app creates and removes a partner's Service Bus subscription: <c>arm</c> (Azure Resource Manager, the
    /// Bicep's least-privilege custom role), <c>dataPlane</c> (ServiceBusAdministrationClient, Data Owner on the
    /// topic) or <c>none</c> (an operator does). Ignored in the sandbox, which gives each partner a Storage queue.
    /// </summary>
    [RequiredInAzure] public const string PartnerSubscriptionManagement = "Partners__SubscriptionManagement";

    /// <summary>Client id of the user-assigned managed identity (DefaultAzureCredential picks it up).</summary>
    [RequiredInAzure] public const string ManagedIdentityClientId = "AZURE_CLIENT_ID";

    [RequiredInAzure] public const string TokenIssuer = "Auth__Issuer";
    [RequiredInAzure] public const string PublicBaseUrl = "Platform__PublicBaseUrl";
    [RequiredInAzure] public const string Environment = "Platform__Environment";

    [RequiredInAzure] public const string AbhaAddressSuffix = "HealthId__AddressSuffix";
    /// <summary>Optional OTP policy overrides (the domain defaults apply when unset; tests shorten them).</summary>
    public const string HealthIdOtpValiditySeconds = "HealthId__Otp__ValiditySeconds";
    public const string HealthIdOtpMaxRequestsPerMobile = "HealthId__Otp__MaxRequestsPerMobile";
    public const string HealthIdOtpResendAfterSeconds = "HealthId__Otp__ResendAfterSeconds";
    /// <summary>Sandbox only: extra simulated KYC identities (<c>HealthId__Kyc__Identities__0__AadhaarNumber</c>, ...).</summary>
    public const string HealthIdKycIdentities = "HealthId__Kyc__Identities";
    /// <summary>Patient access-token lifetime in minutes (default 15) and refresh-token lifetime in hours (default 24).</summary>
    public const string HealthIdPatientTokenMinutes = "HealthId__PatientTokenMinutes";
    public const string HealthIdRefreshTokenHours = "HealthId__RefreshTokenHours";

    /// <summary>Domain of HPR addresses without the @ (<c>hpr.sbx</c> in the sandbox, <c>hpr.abdm</c> in production).</summary>
    [RequiredInAzure] public const string RegistryHprAddressSuffix = "Registry__HprAddressSuffix";

    // Consent manager. Optional.
    /// <summary>Hours an undecided consent request lives before it expires; default 72.</summary>
    public const string ConsentRequestLifetimeHours = "Consent__RequestLifetimeHours";
    /// <summary>Seconds after which a consent notification no partner acknowledged (on-notify) is sent again; default 300.</summary>
    public const string ConsentAckTimeoutSeconds = "Consent__AckTimeoutSeconds";

    // Gateway (partners, sessions, callbacks). All optional: defaults suit production.
    /// <summary>X-CM-ID sent on callbacks (consent manager id, e.g. <c>sbx</c>); default sbx.</summary>
    public const string GatewayCmId = "Gateway__CmId";
    /// <summary>PBKDF2 iterations for new client secret hashes; default 210000.</summary>
    public const string GatewaySecretHashIterations = "Gateway__SecretHashIterations";
    /// <summary>Partner session (access token) lifetime in minutes; default 20.</summary>
    public const string GatewaySessionMinutes = "Gateway__SessionMinutes";
    /// <summary>Partner refresh-token lifetime in hours, renewed by each refresh; default 24.</summary>
    public const string GatewayRefreshTokenHours = "Gateway__RefreshTokenHours";
    /// <summary>Callback attempts before dead-lettering; default 8.</summary>
    public const string GatewayCallbackMaxAttempts = "Gateway__CallbackMaxAttempts";
    /// <summary>Backoff after the first failed attempt, in milliseconds; default 5000.</summary>
    public const string GatewayCallbackInitialDelayMs = "Gateway__CallbackInitialDelayMs";
    /// <summary>Backoff ceiling in milliseconds; default 1800000.</summary>
    public const string GatewayCallbackMaxDelayMs = "Gateway__CallbackMaxDelayMs";
    /// <summary>Per-attempt HTTP timeout in seconds; default 10.</summary>
    public const string GatewayCallbackTimeoutSeconds = "Gateway__CallbackTimeoutSeconds";
    /// <summary>
    /// Storage queue of callback attempts (<c>gateway-callbacks</c>). A setting, not a constant, because the queue
    /// trigger names it as <c>%Gateway__CallbackQueue%</c>: hosts sharing one storage account (test hosts) each get
    /// their own queue instead of taking each other's messages.
    /// </summary>
    [RequiredInAzure] public const string GatewayCallbackQueue = "Gateway__CallbackQueue";

    /// <summary>Storage queue of pharmacy order events (<c>pharmacy-orders</c>); a setting for the same reason as the callback queue.</summary>
    [RequiredInAzure] public const string PharmacyOrderQueue = "Pharmacy__OrderQueue";
    /// <summary>Days an e-prescription may be dispensed after issue; default 30.</summary>
    public const string PharmacyPrescriptionValidityDays = "Pharmacy__PrescriptionValidityDays";
    /// <summary>At most this many pharmacies receive a pincode broadcast; default 20.</summary>
    public const string PharmacyMaxBroadcastPharmacies = "Pharmacy__MaxBroadcastPharmacies";
    /// <summary>The operator's drug catalogue (JSON, the shape of Ndhm.Pharmacy's sample); unset: the shipped sample.</summary>
    public const string PharmacyCatalogueFile = "Pharmacy__CatalogueFile";
    /// <summary>
    /// SANDBOX ONLY: <c>true</c> backs consultation facts with consultations seeded through
    /// <c>POST /api/sandbox/consultation-facts</c>. Never set in Azure (the Bicep leaves it out).
    /// </summary>
    public const string PharmacySandboxConsultationFacts = "Pharmacy__SandboxConsultationFacts";

    /// <summary>
    /// When audit chain heads and the day's digest are signed: a 6-field CRON expression (or <c>hh:mm:ss</c>), read by
    /// the timer trigger as <c>%Audit__SigningSchedule%</c>. Entries after the last signed head are protected by their
    /// hashes only, so this bounds how far back an insider could rewrite undetected. Sandbox: every 15 minutes.
    /// </summary>
    [RequiredInAzure] public const string AuditSigningSchedule = "Audit__SigningSchedule";

    [RequiredInAzure] public const string MaxRequestBodyBytes = "Http__MaxRequestBodyBytes";

    // Abuse limits (Ndhm.Core.RateLimits.RateLimitPolicies): every policy has production defaults.
    /// <summary>Prefix of the per-policy overrides <c>RateLimits__{Policy}__Limit</c> and <c>RateLimits__{Policy}__WindowSeconds</c>.</summary>
    public const string RateLimitsPrefix = "RateLimits__";
    /// <summary>
    /// Header whose last entry is the client's address, as appended by the platform's front end (Azure:
    /// <c>X-Forwarded-For</c>). Unset: the connection's remote address (the sandbox, where clients connect directly).
    /// </summary>
    [RequiredInAzure] public const string RateLimitsClientIpHeader = "RateLimits__ClientIpHeader";

    public static string RateLimitLimit(string policy) => RateLimitsPrefix + policy + "__Limit";

    public static string RateLimitWindowSeconds(string policy) => RateLimitsPrefix + policy + "__WindowSeconds";
}

/// <summary>Marks a setting the deployed app cannot run without; the Bicep must set it.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class RequiredInAzureAttribute : Attribute;

namespace Ndhm.Infrastructure.Cosmos;

/// <summary>
/// The Cosmos containers the platform uses. Every container is partitioned on <c>/pk</c> and every document
/// carries its own <c>pk</c>, so the partition of an aggregate is visible in the document itself. The Bicep
/// creates exactly these (a test compares the two), and the sandbox creates them at start-up.
/// </summary>
public static class CosmosContainers
{
    public const string PartitionKeyPath = "/pk";

    /// <summary>ABHA accounts, ABHA address claims and identity de-duplication index entries.</summary>
    public static readonly CosmosContainerSpec HealthIds = new("health-ids", UniqueKeyPaths: [], DefaultTtlSeconds: null);

    /// <summary>OTP transactions and rate-limit windows; short-lived, so TTL is on and each document sets its own.</summary>
    public static readonly CosmosContainerSpec Otp = new("otp", UniqueKeyPaths: [], DefaultTtlSeconds: -1);

    /// <summary>Partners (clients), facilities (HFR) and professionals (HPR).</summary>
    public static readonly CosmosContainerSpec Registry = new("registry", UniqueKeyPaths: [], DefaultTtlSeconds: null);

    /// <summary>Gateway requests (idempotency by REQUEST-ID), callback deliveries and their attempts, partner refresh-token families.</summary>
    public static readonly CosmosContainerSpec Gateway = new("gateway", UniqueKeyPaths: [], DefaultTtlSeconds: -1);

    /// <summary>Consent requests and artefacts, care contexts and links.</summary>
    public static readonly CosmosContainerSpec Consents = new("consents", UniqueKeyPaths: [], DefaultTtlSeconds: null);

    /// <summary>Tamper-evident audit trail, hash-chained per partition.</summary>
    public static readonly CosmosContainerSpec Audit = new("audit", UniqueKeyPaths: [], DefaultTtlSeconds: null);

    /// <summary>Operational documents: health-check canaries, self-test results.</summary>
    public static readonly CosmosContainerSpec Operations = new("operations", UniqueKeyPaths: [], DefaultTtlSeconds: -1);

    /// <summary>
    /// Per-subject data keys, only ever wrapped by the Key Vault wrapping key (envelope encryption), and the tombstones
    /// crypto-shredding leaves; partitioned by the key's scope (<c>patient:&lt;abha&gt;</c>, <c>professional:&lt;id&gt;</c>).
    /// </summary>
    public static readonly CosmosContainerSpec DataKeys = new("data-keys", UniqueKeyPaths: [], DefaultTtlSeconds: null);

    /// <summary>Abuse-limit counters, one per policy, hashed key and window; each expires after its window (own <c>ttl</c>).</summary>
    public static readonly CosmosContainerSpec RateLimits = new("rate-limits", UniqueKeyPaths: [], DefaultTtlSeconds: -1);

    /// <summary>The patient's health record (PHR): pulled and uploaded records, one partition per patient (a keyed hash).</summary>
    public static readonly CosmosContainerSpec HealthRecords = new("health-records", UniqueKeyPaths: [], DefaultTtlSeconds: null);

    /// <summary>Teleconsultation slots (the booking lock), appointments (encrypted for the patient), consultation records, payments, reminders.</summary>
    public static readonly CosmosContainerSpec Telemedicine = new("telemedicine", UniqueKeyPaths: [], DefaultTtlSeconds: -1);

    /// <summary>E-prescriptions, their dispensing ledgers, shares and quotes, pharmacy orders, the Schedule H/H1 register.</summary>
    public static readonly CosmosContainerSpec Pharmacy = new("pharmacy", UniqueKeyPaths: [], DefaultTtlSeconds: null);

    /// <summary>De-identified analytics facts (an outbox whose change feed drives the aggregates); each expires after 30 days.</summary>
    public static readonly CosmosContainerSpec AnalyticsFacts = new("analytics-facts", UniqueKeyPaths: [], DefaultTtlSeconds: -1);

    /// <summary>Public-health aggregates (one document per measure, day and district; partition: measure and month) and the feed's checkpoints.</summary>
    public static readonly CosmosContainerSpec Analytics = new("analytics", UniqueKeyPaths: [], DefaultTtlSeconds: null);

    public static IReadOnlyList<CosmosContainerSpec> All { get; } =
        [HealthIds, Otp, Registry, Gateway, Consents, Audit, Operations, DataKeys, RateLimits, HealthRecords, Telemedicine, Pharmacy, AnalyticsFacts, Analytics];
}

/// <param name="DefaultTtlSeconds">null: TTL off; -1: on, documents opt in with their own <c>ttl</c>.</param>
public sealed record CosmosContainerSpec(string Name, IReadOnlyList<string> UniqueKeyPaths, int? DefaultTtlSeconds);

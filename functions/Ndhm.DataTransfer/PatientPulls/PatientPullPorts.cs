using Ndhm.Consent;
using Ndhm.Fidelius;

namespace Ndhm.DataTransfer.PatientPulls;

/// <summary>The patient as a pull needs them: ABHA number (14 digits), the address the consent names, and a verified mobile or null.</summary>
public sealed record PullPatient(string AbhaNumber, string AbhaAddress, string? Mobile);

/// <summary>Port: the patient's identifiers (Health ID), by ABHA number.</summary>
public interface IPullPatients
{
    Task<PullPatient?> FindAsync(string abhaNumber, CancellationToken ct);
}

/// <summary>Port: the care contexts linked to the patient at a HIP (Linking).</summary>
public interface IPullLinkedCareContexts
{
    Task<IReadOnlyList<CareContextRef>> ListAsync(string abhaNumber, string hipId, CancellationToken ct);
}

/// <summary>
/// Port: the platform HIU's Fidelius key material per transaction. The private key is kept encrypted at rest under the
/// patient's data key, and only until the transfer closes (then deleted).
/// </summary>
public interface IPullKeyVault
{
    /// <summary>Create-only: the key material already kept for this transaction wins (a retried ask reuses it).</summary>
    Task<FideliusKeyMaterial> KeepAsync(string transactionId, string abhaNumber, FideliusKeyMaterial material, CancellationToken ct);

    Task<FideliusKeyMaterial?> FindAsync(string transactionId, string abhaNumber, CancellationToken ct);

    Task DeleteAsync(string transactionId, CancellationToken ct);
}

/// <summary>Port: tells the patient what became of one of their pulls (SMS outbox in the sandbox).</summary>
public interface IPullOutcomeNotifier
{
    Task TellAsync(PullPatient patient, PullOutcome outcome, CancellationToken ct);
}

/// <summary>What the patient is told: the transaction, the HIP, its final status and how many care contexts arrived.</summary>
public sealed record PullOutcome(string TransactionId, string HipId, string Status, int Delivered, int CareContexts);

using Ndhm.Pharmacy.Consultations;

namespace Ndhm.Infrastructure.Pharmacy;

/// <summary>
/// SANDBOX ONLY, beside the telemedicine capability's consultations: consultation facts seeded through <c>POST /api/sandbox/consultation-facts</c> into the <c>pharmacy</c> container (encrypted like
/// every record there). Registered only when <c>Pharmacy__SandboxConsultationFacts</c> is <c>true</c>, which the
/// production configuration (Bicep) never sets; otherwise only <see cref="TelemedicineConsultationFacts"/> answers.
/// </summary>
public sealed class SandboxConsultationFacts(PharmacyRecords records) : IConsultationFacts, ISandboxConsultationSeed
{
    private const string Kind = "sandbox-consultation";

    public async Task<ConsultationFacts?> FindAsync(string consultationId, CancellationToken ct) =>
        (await records.FindAsync<ConsultationFacts>(Kind, consultationId, ct))?.Value;

    public async Task<bool> SeedAsync(ConsultationFacts facts, CancellationToken ct) =>
        await records.TryCreateAsync(Kind, facts.ConsultationId, facts.PatientId, facts.Status.ToString(), facts, ct) is not null;
}

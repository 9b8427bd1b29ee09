using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Numbers;
using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Consultations;
using Ndhm.Registry.Facilities;
using Ndhm.Registry.Professionals;
using Ndhm.Triggers.Http;
using Ndhm.Triggers.Sandbox;

namespace Ndhm.Triggers.Pharmacy;

/// <summary>
/// SANDBOX ONLY, until telemedicine consultations back the consultation facts: seeds the facts a prescription is checked
/// against. 404 unless this is the local sandbox, the caller is local, and <c>Pharmacy__SandboxConsultationFacts</c> is true.
/// </summary>
public sealed class SeedSandboxConsultation(SandboxEnvironment sandbox, IServiceProvider services)
{
    [Function(nameof(SeedSandboxConsultation))]
    [PublicEndpoint("Exists only in the local sandbox with Pharmacy__SandboxConsultationFacts=true, for loopback callers; 404 everywhere else.")]
    [OpenApiOperation("Sandbox only: seed a teleconsultation's facts (doctor, patient, mode, follow-up, condition) for e-prescription tests.",
        Request = typeof(SandboxConsultationInput), Response = typeof(ConsultationFacts), SuccessStatus = 201, Tag = "Sandbox")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "sandbox/consultation-facts")] HttpRequest req,
        CancellationToken ct)
    {
        sandbox.EnsureLocalSandbox(req);
        var seed = services.GetService<ISandboxConsultationSeed>() ?? throw new DomainException(ErrorKind.NotFound, ErrorCodes.NotFound, "Not found.");
        var input = await req.ReadJsonAsync<SandboxConsultationInput>(ct);
        var facts = Validate(input);
        if (!await seed.SeedAsync(facts, ct))
            throw new DomainException(ErrorKind.Conflict, ErrorCodes.Conflict, "That consultation id was seeded already.");
        return new CreatedResult((string?)null, facts);
    }

    private static ConsultationFacts Validate(SandboxConsultationInput input)
    {
        var id = Guid.TryParse(input.ConsultationId, out var g) ? g.ToString() : throw Invalid("consultationId is a UUID.");
        var doctor = HprId.TryParse(input.DoctorHprId, out var hpr) ? hpr.Value : throw Invalid("doctorHprId is a 14-digit HPR id.");
        var patient = AbhaNumber.TryParse(input.PatientAbhaNumber, out var abha) ? abha.Digits : throw Invalid("patientAbhaNumber is an ABHA number.");
        var facility = FacilityId.TryParse(input.FacilityId, out var f) ? f.Value : throw Invalid("facilityId is an HFR id.");
        if (!Enum.TryParse<ConsultationMode>(input.Mode, true, out var mode) || !Enum.IsDefined(mode)) throw Invalid("mode is VIDEO, AUDIO or CHAT.");
        var status = ConsultationStatus.InProgress;
        if (input.Status is not null && (!Enum.TryParse(input.Status.Replace("_", ""), true, out status) || !Enum.IsDefined(status)))
            throw Invalid("status is SCHEDULED, IN_PROGRESS, ENDED or CANCELLED.");
        if (input.ConditionCode is { Length: > 64 }) throw Invalid("conditionCode is at most 64 characters.");
        var now = DateTimeOffset.UtcNow;
        return new ConsultationFacts(id, doctor, patient, mode, input.IsFollowUp ?? false, input.ConditionCode?.Trim(), facility, status,
            status == ConsultationStatus.Scheduled ? null : now, status == ConsultationStatus.Ended ? now : null);
    }

    private static DomainException Invalid(string detail) => PharmacyErrors.Invalid(ErrorCodes.InvalidRequest, detail);
}

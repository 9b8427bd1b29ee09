using Ndhm.Fhir.Validation;
using Ndhm.Pharmacy.Catalogue;
using Ndhm.Pharmacy.Prescriptions;
using Ndhm.Telemedicine;
using Ndhm.UnitTests.Security.Tokens;

namespace Ndhm.UnitTests.DataTransfer;

/// <summary>
/// The documents the platform serves as HIP must pass the ABDM profile validation a HIU runs on every received entry
/// (<c>HiuDataReceiver</c>): the teleconsultation's OPConsultRecord and the signed e-prescription's PrescriptionRecord.
/// </summary>
public sealed class PlatformRecordsValidityTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GivenATeleconsultationsNotes_WhenTheOpConsultRecordIsValidated_ThenItIsAValidAbdmDocument()
    {
        var appointment = new Appointment
        {
            Id = "0f8fad5b-d9cb-469f-a165-70867728950e", SlotId = "71234567890123-202612031000", DoctorHprId = "71234567890123", DoctorName = "Dr. Meera Iyer",
            FacilityId = "IN2810000001", PatientNumber = "91123456789012", Mode = ConsultationMode.Video, Specialty = "General Medicine", Start = At,
            DurationMinutes = 15, FeePaise = 50000, Status = AppointmentStatus.Completed, CreatedAt = At.AddDays(-1), HoldExpiresAt = At.AddDays(-1),
            StartedAt = At,
        };
        var json = ConsultationRecord.Build(appointment, new EndInput("Sore throat", "Acute pharyngitis", "363746003", "Warm fluids"), "Ravi Kumar",
            "City Clinic", At.AddMinutes(15));

        var result = await AbdmFhirValidator.Shared.ValidateJsonAsync(json, CancellationToken.None);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public async Task GivenASignedPrescription_WhenThePrescriptionRecordIsValidated_ThenItIsAValidAbdmDocument()
    {
        var drug = DrugCatalogue.Sample().Find("SAMPLE-PCM-500-TAB")!;
        var p = new Prescription("0f8fad5b-d9cb-469f-a165-70867728950e", "c1", "71234567890123", "Dr. Meera Iyer", "91123456789012", "IN2810000001", "J02",
            "Pharyngitis", At, At.AddDays(30),
            [new PrescribedItem(1, drug.Code, drug.Name, drug.Composition, drug.Strength, drug.Form, drug.Schedule, drug.List, "1 tablet", 3, 5, 15, true, null)],
            null, "");
        var json = await new PrescriptionSigner(new InMemorySigningKeys()).SignAsync(PrescriptionDocument.Build(p, "City Clinic"), p.DoctorHprId, p.Id,
            p.IssuedAt, default);

        var result = await AbdmFhirValidator.Shared.ValidateJsonAsync(json, CancellationToken.None);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }
}

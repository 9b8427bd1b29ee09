using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.HealthId.Identity;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Privacy;
using Ndhm.Telemedicine;

namespace Ndhm.Infrastructure.Telemedicine;

/// <summary>
/// Appointments in Cosmos (<see cref="AppointmentDocument"/>): the record encrypted with the patient's data key
/// (AAD: document id + field), the patient found by a keyed hash of the ABHA number, updates with If-Match.
/// </summary>
public sealed class CosmosAppointmentStore(CosmosClient client, CosmosSettings settings, FieldCipher cipher, IHealthIdKeySource keys)
    : IAppointmentStore
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Telemedicine.Name);

    public async Task<string> CreateAsync(Appointment appointment, CancellationToken ct)
    {
        var document = await DocumentAsync(appointment, ct);
        return await CosmosDocuments.CreateAsync(Container, document, document.Pk,
            () => new DomainException(ErrorKind.Conflict, ErrorCodes.Conflict, "The appointment exists."), ct);
    }

    public async Task<Versioned<Appointment>?> FindAsync(string appointmentId, CancellationToken ct)
    {
        if (!Guid.TryParse(appointmentId, out _)) return null;
        var id = AppointmentDocument.IdOf(appointmentId);
        return await CosmosDocuments.TryReadAsync<AppointmentDocument>(Container, id, id, ct) is { } read
            ? new Versioned<Appointment>(await RecordAsync(read.Document, ct), read.ETag)
            : null;
    }

    public async Task<string> ReplaceAsync(Appointment appointment, string ifMatch, CancellationToken ct)
    {
        var document = await DocumentAsync(appointment, ct);
        return await CosmosDocuments.ReplaceAsync(Container, document, document.Id, document.Pk, ifMatch,
            () => new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "The appointment changed meanwhile.", "Read it again and retry."),
            TelemedicineErrors.NotFound, ct);
    }

    public async Task<IReadOnlyList<Appointment>> ListForDoctorAsync(string hprId, DateTimeOffset from, int take, CancellationToken ct)
    {
        var query = new QueryDefinition(
                "SELECT TOP @take * FROM c WHERE c.docType = @type AND c.doctorHprId = @doctor AND c.startMs >= @from AND c.status != @initiated ORDER BY c.startMs")
            .WithParameter("@take", take).WithParameter("@type", AppointmentDocument.Type).WithParameter("@doctor", hprId)
            .WithParameter("@from", from.ToUnixTimeMilliseconds()).WithParameter("@initiated", AppointmentStatuses.Name(AppointmentStatus.Initiated));
        return await RecordsAsync(query, take, ct);
    }

    public async Task<IReadOnlyList<Appointment>> ListForPatientAsync(string patientNumber, int take, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT TOP @take * FROM c WHERE c.docType = @type AND c.patientKey = @patient ORDER BY c.createdAtMs DESC")
            .WithParameter("@take", take).WithParameter("@type", AppointmentDocument.Type).WithParameter("@patient", await PatientKeyAsync(patientNumber, ct));
        return await RecordsAsync(query, take, ct);
    }

    public async Task<IReadOnlyList<string>> ListDueRemindersAsync(DateTimeOffset now, int take, CancellationToken ct)
    {
        var query = new QueryDefinition(
                "SELECT TOP @take c.appointmentId FROM c WHERE c.docType = @type AND c.status = @confirmed AND IS_NUMBER(c.reminderDueMs) AND c.reminderDueMs <= @now")
            .WithParameter("@take", take).WithParameter("@type", AppointmentDocument.Type)
            .WithParameter("@confirmed", AppointmentStatuses.Name(AppointmentStatus.Confirmed)).WithParameter("@now", now.ToUnixTimeMilliseconds());
        return (await CosmosDocuments.QueryAsync<IdOnly>(Container, query, take, partitionKey: null, ct)).Select(d => d.AppointmentId).ToList();
    }

    public async Task<IReadOnlyList<string>> ListUnstartedAsync(DateTimeOffset startedBy, int take, CancellationToken ct)
    {
        var query = new QueryDefinition(
                "SELECT TOP @take c.appointmentId FROM c WHERE c.docType = @type AND c.status = @confirmed AND c.startMs <= @by ORDER BY c.startMs")
            .WithParameter("@take", take).WithParameter("@type", AppointmentDocument.Type)
            .WithParameter("@confirmed", AppointmentStatuses.Name(AppointmentStatus.Confirmed)).WithParameter("@by", startedBy.ToUnixTimeMilliseconds());
        return (await CosmosDocuments.QueryAsync<IdOnly>(Container, query, take, partitionKey: null, ct)).Select(d => d.AppointmentId).ToList();
    }

    private async Task<IReadOnlyList<Appointment>> RecordsAsync(QueryDefinition query, int take, CancellationToken ct)
    {
        var documents = await CosmosDocuments.QueryAsync<AppointmentDocument>(Container, query, take, partitionKey: null, ct);
        var records = new List<Appointment>();
        foreach (var document in documents) records.Add(await RecordAsync(document, ct));
        return records;
    }

    private async Task<AppointmentDocument> DocumentAsync(Appointment appointment, CancellationToken ct)
    {
        var id = AppointmentDocument.IdOf(appointment.Id);
        var json = JsonSerializer.Serialize(appointment, NdhmJson.Options);
        var sealedRecord = await cipher.EncryptAsync(DataKeyScope.Patient(appointment.PatientNumber), id, AppointmentDocument.RecordField, json, ct);
        // Only a confirmed appointment whose reminder is still to go is due; the field is dropped once sent.
        var reminderDue = appointment.Status == AppointmentStatus.Confirmed && appointment.ReminderSentAt is null
            ? appointment.ReminderDueAt?.ToUnixTimeMilliseconds()
            : null;
        return new AppointmentDocument(id, id, AppointmentDocument.Type, appointment.Id, appointment.PatientNumber,
            await PatientKeyAsync(appointment.PatientNumber, ct), appointment.DoctorHprId, AppointmentStatuses.Name(appointment.Status),
            appointment.Start.ToUnixTimeMilliseconds(), appointment.CreatedAt.ToUnixTimeMilliseconds(), reminderDue, sealedRecord);
    }

    private async Task<Appointment> RecordAsync(AppointmentDocument document, CancellationToken ct)
    {
        var json = await cipher.DecryptAsync(DataKeyScope.Patient(document.Subject), document.Id, AppointmentDocument.RecordField, document.Record, ct);
        return JsonSerializer.Deserialize<Appointment>(json, NdhmJson.Options)
               ?? throw new InvalidOperationException("An appointment document holds no record.");
    }

    /// <summary>HMAC-SHA256 of the ABHA number under Health ID's identity-hash key, labelled so it matches no other hash.</summary>
    private async Task<string> PatientKeyAsync(string patientNumber, CancellationToken ct)
    {
        var key = await keys.GetKeyAsync(HealthIdKeyPurpose.IdentityHash, ct);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("telemedicine-patient:" + patientNumber)));
    }

    private sealed record IdOnly(string AppointmentId);
}

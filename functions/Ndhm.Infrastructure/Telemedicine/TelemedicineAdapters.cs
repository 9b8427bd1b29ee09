using Microsoft.Azure.Cosmos;
using Ndhm.Core.Errors;
using Ndhm.Core.Security.Tokens;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.PartnerAuth;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Privacy;
using Ndhm.Telemedicine;

namespace Ndhm.Infrastructure.Telemedicine;

/// <summary>
/// OPConsultRecord bundles in Cosmos, the bundle one <c>enc:v1</c> field under the patient's data key. The notes are a
/// few kilobytes (each note is capped at 2000 characters), well inside a Cosmos document, so they live beside the
/// appointment rather than in Blob storage, and crypto-shredding the patient's key makes them unreadable with the rest.
/// </summary>
public sealed class CosmosConsultationRecords(CosmosClient client, CosmosSettings settings, FieldCipher cipher, TimeProvider time) : IConsultationRecords
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Telemedicine.Name);

    public async Task<string> SaveAsync(string patientNumber, string appointmentId, string bundleJson, CancellationToken ct)
    {
        var id = ConsultationRecordDocument.IdOf(appointmentId);
        var sealedBundle = await cipher.EncryptAsync(DataKeyScope.Patient(patientNumber), id, ConsultationRecordDocument.BundleField, bundleJson, ct);
        await Container.UpsertItemAsync(new ConsultationRecordDocument(id, id, ConsultationRecordDocument.Type, patientNumber,
            time.GetUtcNow().ToUnixTimeMilliseconds(), sealedBundle), new PartitionKey(id), CosmosDocuments.NoContent, ct);
        return id;
    }

    public async Task<string?> ReadAsync(string patientNumber, string recordId, CancellationToken ct)
    {
        var document = await CosmosDocuments.FindAsync<ConsultationRecordDocument>(Container, recordId, recordId, ct);
        return document is null || document.Subject != patientNumber
            ? null
            : await cipher.DecryptAsync(DataKeyScope.Patient(patientNumber), document.Id, ConsultationRecordDocument.BundleField, document.Bundle, ct);
    }
}

/// <summary>
/// The platform's ledger of teleconsultation payments and refunds (amounts and the payment service's references
/// only). Each is a create-only document per appointment and kind, so recording again is a no-op and a retried refund
/// answers the first refund's reference. A real payment service adapter would call the gateway and then record here.
/// </summary>
public sealed class CosmosPaymentLedger(CosmosClient client, CosmosSettings settings, TimeProvider time) : ITeleconsultationPayments
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Telemedicine.Name);

    public async Task RecordPaymentAsync(string appointmentId, long amountPaise, string paymentReference, CancellationToken ct)
    {
        var id = PaymentDocument.IdOf("payment", appointmentId);
        await CosmosDocuments.TryCreateAsync(Container, new PaymentDocument(id, id, PaymentDocument.Type, appointmentId, "payment", amountPaise,
            paymentReference, null, time.GetUtcNow().ToUnixTimeMilliseconds()), id, ct);
    }

    public async Task<string> RefundAsync(string appointmentId, long amountPaise, string rule, CancellationToken ct)
    {
        var id = PaymentDocument.IdOf("refund", appointmentId);
        var reference = "refund-" + Guid.NewGuid().ToString("N")[..16];
        if (await CosmosDocuments.TryCreateAsync(Container, new PaymentDocument(id, id, PaymentDocument.Type, appointmentId, "refund", amountPaise,
                reference, rule, time.GetUtcNow().ToUnixTimeMilliseconds()), id, ct) is not null)
            return reference;
        return (await CosmosDocuments.FindAsync<PaymentDocument>(Container, id, id, ct))?.Reference
               ?? throw new InvalidOperationException("A refund was recorded and then vanished.");
    }
}

/// <summary>
/// Join tokens: JWTs signed by the platform's token key (verifiable against the JWKS by the media service), audience
/// <c>consultation:&lt;id&gt;</c> so a token for one consultation opens no other, role claim DOCTOR or PATIENT.
/// </summary>
public sealed class JwtJoinTokens(JwtIssuer issuer, JwtValidator validator) : IJoinTokens
{
    public async Task<JoinToken> IssueAsync(string consultationId, string participant, string participantRole, TimeSpan lifetime, CancellationToken ct)
    {
        var audience = ConsultationService.JoinAudiencePrefix + consultationId;
        var issued = await issuer.IssueAsync(new TokenRequest(participant, audience, [participantRole], lifetime), ct);
        return new JoinToken(issued.Token, audience, issued.ExpiresAt);
    }

    public async Task<Participant> VerifyAsync(string token, string consultationId, CancellationToken ct)
    {
        var caller = await validator.ValidateAsync(token, ConsultationService.JoinAudiencePrefix + consultationId, ct);
        return caller.Roles.Count != 1 ? throw NotAJoinToken()
            : caller.IsInRole("DOCTOR") ? Participant.Doctor(caller.Subject)
            : caller.IsInRole("PATIENT") ? Participant.Patient(caller.Subject)
            : throw NotAJoinToken();
    }

    private static DomainException NotAJoinToken() =>
        new(ErrorKind.Unauthenticated, ErrorCodes.InvalidToken, "The token is not a join token.", "Ask for a join token for this consultation.");
}

/// <summary>
/// Reminders go to the notification channel; here (no SMS provider is wired) to an outbox document per appointment,
/// create-only, so a reminder is handed over at most once per appointment whatever the retries. Kept 7 days.
/// </summary>
public sealed class CosmosReminderOutbox(CosmosClient client, CosmosSettings settings, TimeProvider time) : IAppointmentReminders
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Telemedicine.Name);

    public async Task SendAsync(Appointment appointment, CancellationToken ct)
    {
        var id = ReminderDocument.IdOf(appointment.Id);
        await CosmosDocuments.TryCreateAsync(Container, new ReminderDocument(id, id, ReminderDocument.Type, appointment.Id, appointment.DoctorHprId,
            appointment.Start.ToUnixTimeMilliseconds(), time.GetUtcNow().ToUnixTimeMilliseconds(), 7 * 24 * 3600), id, ct);
    }
}

/// <summary>The patient's name from Health ID (for the OPConsultRecord's Patient).</summary>
public sealed class HealthIdTelemedicinePatients(AbhaAccountLookup lookup) : ITelemedicinePatients
{
    public async Task<string?> DisplayNameAsync(string patientNumber, CancellationToken ct)
    {
        try
        {
            return (await lookup.FindViewAsync(patientNumber, ct))?.Name;
        }
        catch (DomainException e) when (e.Kind == ErrorKind.Validation)
        {
            return null;
        }
    }
}

/// <summary>
/// A partner app's proof that it acts for a patient: Health ID's <c>users/auth</c> access token (ES256, audience
/// <c>ndhm-patient-auth</c>, never an API bearer token), issued to this very partner (<c>partner_id</c>) for a
/// purpose that yields a token (LINK, KYC_AND_LINK), unexpired. The patient is its subject, the ABHA number.
/// </summary>
public sealed class PartnerAuthPatientDelegations(PartnerAuthTokens tokens) : IPatientDelegations
{
    public async Task<string?> PatientForAsync(string partnerId, string accessToken, CancellationToken ct)
    {
        PatientAuthGrant grant;
        try
        {
            grant = await tokens.ValidateAsync(accessToken, ct);
        }
        catch (DomainException)
        {
            return null;
        }

        return grant.Purpose.GrantsAccessToken() && string.Equals(grant.PartnerId, partnerId, StringComparison.Ordinal) ? grant.AbhaNumber.Digits : null;
    }
}

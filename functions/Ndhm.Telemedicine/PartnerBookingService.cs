using System.Security.Cryptography;
using System.Text;
using Ndhm.Core.Abdm;
using Ndhm.Core.Errors;

namespace Ndhm.Telemedicine;

/// <summary>
/// The Unified Health Interface steps for a partner app (PHR_APP) booking on a patient's behalf, answered through the
/// gateway's <c>on_</c> callbacks. <c>select</c> quotes public availability, as <c>search</c> does; every step that
/// reads or changes an appointment (<c>init</c>, <c>confirm</c>, <c>status</c>, <c>cancel</c>) needs the patient's
/// <c>users/auth</c> access token issued to this partner (<see cref="IPatientDelegations"/>), and then acts exactly as
/// the patient's own synchronous call (<see cref="BookingService"/>: the same atomic hold, conflict rule, consent,
/// refunds, audit with the partner as actor) for that patient alone: another patient's appointment is not found.
/// </summary>
public sealed class PartnerBookingService(BookingService booking, IPatientDelegations delegations)
{
    public const string InvalidAccessToken = "INVALID_ACCESS_TOKEN";

    public Task<SlotQuote> SelectAsync(string? slotId, CancellationToken ct) => booking.SelectAsync(slotId, ct);

    /// <summary>
    /// Holds the slot for the token's patient. The appointment id is derived from the partner and its requestId, so the
    /// same request run again (the gateway resumes one whose process died) answers the same appointment.
    /// </summary>
    public async Task<Appointment> InitAsync(string partnerId, string requestId, string accessToken, InitInput input, CancellationToken ct) =>
        await booking.InitAsync(await PatientAsync(partnerId, accessToken, ct), input, ct, AppointmentIdFor(partnerId, requestId));

    public async Task<Appointment> ConfirmAsync(string partnerId, string accessToken, ConfirmInput input, CancellationToken ct) =>
        await booking.ConfirmAsync(await PatientAsync(partnerId, accessToken, ct), input, ct);

    public async Task<Appointment> StatusAsync(string partnerId, string accessToken, string? appointmentId, CancellationToken ct) =>
        await booking.StatusAsync(await PatientAsync(partnerId, accessToken, ct), appointmentId, ct);

    public async Task<Appointment> CancelAsync(string partnerId, string accessToken, CancelInput input, CancellationToken ct) =>
        await booking.CancelAsync(await PatientAsync(partnerId, accessToken, ct), input, ct);

    /// <summary>A UUID derived from the partner and its init's requestId (name-based, SHA-256, version 5 bits).</summary>
    public static string AppointmentIdFor(string partnerId, string requestId) => Ndhm.Core.Ids.DerivedIds.From("uhi-init\n" + partnerId + "\n" + requestId);

    private async Task<string> PatientAsync(string partnerId, string accessToken, CancellationToken ct) =>
        await delegations.PatientForAsync(partnerId, accessToken, ct)
        ?? throw AbdmErrors.Error(ErrorKind.Unauthenticated, AbdmErrors.InvalidToken, InvalidAccessToken, "Invalid or expired access token.",
            "Send the patient's access token from users/auth (on-confirm, or notify after a DIRECT approval) issued to this partner.");
}

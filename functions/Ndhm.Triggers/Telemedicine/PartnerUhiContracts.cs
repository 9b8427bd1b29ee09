using Ndhm.Gateway.Abdm;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Abdm;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>UHI <c>select</c> of a partner app: <c>order.slotId</c>; answered by <c>on_select</c> with the quote.</summary>
public sealed record UhiSelectRequest(string? RequestId, string? Timestamp, SlotIdRequest? Order) : IAbdmRequest;

/// <summary>UHI <c>init</c> of a partner app for the patient of <c>accessToken</c>: <c>order</c> as the patient's init.</summary>
/// <param name="AccessToken">The patient's users/auth access token issued to this partner.</param>
public sealed record UhiInitRequest(string? RequestId, string? Timestamp, string? AccessToken, InitInput? Order) : IAbdmRequest;

/// <summary>UHI <c>confirm</c>: <c>order</c> as the patient's confirm (appointmentId, paymentReference, teleconsultationConsent).</summary>
public sealed record UhiConfirmRequest(string? RequestId, string? Timestamp, string? AccessToken, ConfirmInput? Order) : IAbdmRequest;

/// <summary>UHI <c>status</c>: <c>order.appointmentId</c>.</summary>
public sealed record UhiStatusRequest(string? RequestId, string? Timestamp, string? AccessToken, AppointmentIdRequest? Order) : IAbdmRequest;

/// <summary>UHI <c>cancel</c>: <c>order.appointmentId</c> and an optional <c>order.reason</c>.</summary>
public sealed record UhiCancelRequest(string? RequestId, string? Timestamp, string? AccessToken, CancelInput? Order) : IAbdmRequest;

/// <summary>What the partner's asynchronous UHI steps share: the payload checks (400 before anything is recorded) and the answer's route.</summary>
internal static class PartnerUhi
{
    /// <summary>The required <c>order</c> and the patient's access token, or 400 <c>INVALID_BOOKING</c> naming the field.</summary>
    public static (T Order, string AccessToken) Require<T>(T? order, string? accessToken) where T : class =>
        (order ?? throw TelemedicineErrors.Invalid(TelemedicineErrors.InvalidBooking, "order is required.", "order"),
            string.IsNullOrWhiteSpace(accessToken)
                ? throw TelemedicineErrors.Invalid(TelemedicineErrors.InvalidBooking,
                    "accessToken is required: the patient's users/auth access token issued to this partner.", "accessToken")
                : accessToken.Trim());

    /// <summary>Answers at <c>{bridge}{path}</c> with <c>order</c> (the appointment as the patient sees it), or the <c>error</c>.</summary>
    public static Task<string> AnswerOrderAsync<TBody>(AbdmCallbacks callbacks, AbdmInbound<TBody> inbound, string path, Func<Task<Appointment>> act,
        TimeProvider time, CancellationToken ct) =>
        callbacks.AnswerAsync(new AbdmParty(inbound.Caller.Subject), path, inbound.RequestId,
            async () => new { order = AppointmentView.From(await act(), time.GetUtcNow()) }, ct);
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Ndhm.Gateway.Abdm;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Abdm;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>UHI <c>select</c> of a partner app: <c>order.slotId</c>; answered by <c>on_select</c> with the quote.</summary>
public sealed record UhiSelectRequest(string? RequestId, string? Timestamp, SlotIdRequest? Order) : IAbdmRequest;

/// <summary>UHI <c>init</c> of a partner app for the patient of <c>accessToken</c>: <c>order</c> as the patient's init.</summary>
/// <param name="AccessToken">The patient's users/auth access token issued to this partner.</param>
public sealed record UhiInitRequest(string? RequestId, string? Timestamp, string? AccessToken, InitInput? Order) : IUhiPatientRequest<InitInput>;

/// <summary>UHI <c>confirm</c>: <c>order</c> as the patient's confirm (appointmentId, paymentReference, teleconsultationConsent).</summary>
public sealed record UhiConfirmRequest(string? RequestId, string? Timestamp, string? AccessToken, ConfirmInput? Order) : IUhiPatientRequest<ConfirmInput>;

/// <summary>UHI <c>status</c>: <c>order.appointmentId</c>.</summary>
public sealed record UhiStatusRequest(string? RequestId, string? Timestamp, string? AccessToken, AppointmentIdRequest? Order) : IUhiPatientRequest<AppointmentIdRequest>;

/// <summary>UHI <c>cancel</c>: <c>order.appointmentId</c> and an optional <c>order.reason</c>.</summary>
public sealed record UhiCancelRequest(string? RequestId, string? Timestamp, string? AccessToken, CancelInput? Order) : IUhiPatientRequest<CancelInput>;

/// <summary>A partner's UHI step for a patient: the ABDM envelope, the patient's access token and the <c>order</c>.</summary>
public interface IUhiPatientRequest<out TOrder> : IAbdmRequest where TOrder : class
{
    string? AccessToken { get; }

    TOrder? Order { get; }
}

/// <summary>
/// The partner's asynchronous UHI steps for a patient (init, confirm, status, cancel) as one pipeline: the envelope
/// checks and idempotency of <see cref="AbdmRequestVerifier"/>; a missing <c>order</c> or <c>accessToken</c> is a
/// synchronous 400 <c>INVALID_BOOKING</c> naming the field, nothing recorded; then 202, and the step's appointment (as
/// the patient's API shows it) or its error is answered at <c>{bridge}{callbackPath}</c> through the gateway's deliveries.
/// </summary>
public sealed class PartnerUhiSteps(AbdmRequestVerifier verifier, AbdmCallbacks callbacks, TimeProvider time)
{
    /// <param name="act">The step: the partner's client id, its requestId, the patient's access token and the order.</param>
    public Task<IActionResult> AcceptAsync<TBody, TOrder>(HttpRequest req, string operation, string callbackPath,
        Func<string, string, string, TOrder, CancellationToken, Task<Appointment>> act, CancellationToken ct)
        where TBody : class, IUhiPatientRequest<TOrder> where TOrder : class =>
        verifier.AcceptAsync(req, operation,
            (AbdmInbound<TBody> inbound) => (
                Order: inbound.Body.Order ?? throw TelemedicineErrors.Invalid(TelemedicineErrors.InvalidBooking, "order is required.", "order"),
                AccessToken: string.IsNullOrWhiteSpace(inbound.Body.AccessToken)
                    ? throw TelemedicineErrors.Invalid(TelemedicineErrors.InvalidBooking,
                        "accessToken is required: the patient's users/auth access token issued to this partner.", "accessToken")
                    : inbound.Body.AccessToken.Trim()),
            (inbound, valid, token) => callbacks.AnswerAsync(new AbdmParty(inbound.Caller.Subject), callbackPath, inbound.RequestId,
                async () => new
                {
                    order = AppointmentView.From(await act(inbound.Caller.Subject, inbound.RequestId, valid.AccessToken, valid.Order, token), time.GetUtcNow()),
                }, token),
            ct);
}

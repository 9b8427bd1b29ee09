using Microsoft.Azure.Functions.Worker;
using Ndhm.DataTransfer;
using Ndhm.DataTransfer.PlatformHip;

namespace Ndhm.Triggers.DataTransfer;

/// <summary>
/// The transfer orchestration's side effects, each idempotent by the transaction id (the instance id): hip/request
/// and HIU messages have ids derived from it (one delivery however often they run), status changes only move
/// care contexts out of PENDING, and closing a closed transaction changes nothing.
/// </summary>
public sealed class DataTransferActivities(DataTransferService transfers, PlatformHipService platformHip)
{
    public const string Start = "DataTransferStart";
    public const string ConsentCheck = "DataTransferConsentCheck";
    public const string ErrorPending = "DataTransferErrorPending";
    public const string Close = "DataTransferClose";
    public const string ServePlatformHeld = "DataTransferServePlatformHeld";

    [Function(Start)]
    public Task<TransferPlan> StartTransfer([ActivityTrigger] string transactionId, CancellationToken ct) => transfers.StartAsync(transactionId, ct);

    /// <summary>
    /// The platform answers as the HIP of the care contexts it holds: the records are read and decrypted here only, and
    /// leave this activity encrypted for the HIU; the orchestration sees only which HIPs are done.
    /// </summary>
    [Function(ServePlatformHeld)]
    public async Task<PlatformHipServe> ServePlatformHeldCareContexts([ActivityTrigger] string transactionId, CancellationToken ct)
    {
        var served = await platformHip.ServeAsync(transactionId, ct);
        return new PlatformHipServe(served.WaitingForHiu, served.DoneHipIds);
    }

    [Function(ConsentCheck)]
    public Task<string?> CheckConsent([ActivityTrigger] string transactionId, CancellationToken ct) => transfers.ConsentStopReasonAsync(transactionId, ct);

    [Function(ErrorPending)]
    public async Task<bool> ErrorPendingCareContexts([ActivityTrigger] TransferStep step, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(step);
        await transfers.ErrorPendingAsync(step.TransactionId, step.Reason ?? DataTransferErrors.TransferTimedOut, ct);
        return true;
    }

    [Function(Close)]
    public Task<string> CloseTransfer([ActivityTrigger] TransferStep step, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(step);
        return transfers.CloseAsync(step.TransactionId, step.Reason, ct);
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.DataTransfer;
using Ndhm.Triggers.HealthId;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.DataTransfer;

/// <summary>
/// A transaction's status: each care context DELIVERED / ERRORED (with ABDM's code and why), each hiType's outcome,
/// and the whole (REQUESTED, TRANSFERRED, PARTIAL, FAILED). The HIU partner that asked, the patient and platform
/// admins may read it; anyone else gets 404 as for an unknown id. Every read is audited on the patient's chain.
/// </summary>
public sealed class GetHealthInformationTransaction(DataTransferService transfers)
{
    [Function(nameof(GetHealthInformationTransaction))]
    [RequireRoles(Roles.Hiu, Roles.Patient, Roles.PlatformAdmin)]
    [OpenApiOperation("A health-information transaction's status per care context and per hiType (its HIU, its patient, or a platform admin).",
        Response = typeof(HiTransactionView), Tag = DataTransferHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/health-information/transactions/{transactionId}")] HttpRequest req,
        string transactionId,
        CancellationToken ct)
    {
        var caller = req.Caller();
        var reader = caller.IsInRole(Roles.PlatformAdmin) ? TransferReader.Admin(caller.Subject)
            : caller.IsInRole(Roles.Hiu) ? TransferReader.Hiu(caller.Subject)
            : TransferReader.Patient(caller.Subject, HealthIdHttp.PatientNumber(caller).Digits);
        return new OkObjectResult(HiTransactionView.Of(await transfers.ViewAsync(transactionId, reader, ct)));
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Phr;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Phr;

/// <summary>The patient deletes one of their uploads (pulled records expire at their dataEraseAt instead: 409).</summary>
public sealed class DeleteMyHealthDocument(PhrRecordService records)
{
    [Function(nameof(DeleteMyHealthDocument))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Delete one of the caller's uploaded documents, file included (204). Pulled records cannot be deleted " +
        "(409 HEALTH_RECORD_NOT_DELETABLE): they are erased at their consent's dataEraseAt. Audited.", SuccessStatus = 204, Tag = PhrHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/patients/me/health-records/{recordId}")] HttpRequest req,
        string recordId,
        CancellationToken ct)
    {
        await records.DeleteUploadAsync(PhrHttp.Patient(req), recordId, ct);
        return new NoContentResult();
    }
}

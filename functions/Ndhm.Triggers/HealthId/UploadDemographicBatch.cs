using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Demographic;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class UploadDemographicBatch(DemographicEnrolmentService demographics)
{
    [Function(nameof(UploadDemographicBatch))]
    [RequireRoles(Roles.HealthWorker)]
    [OpenApiOperation("Offline demographic enrolment for government programmes: a health worker of a verified facility uploads " +
        "a batch collected at an outreach camp (name, birth date or year, gender, address, the worker's attestation); each " +
        "record is deduplicated (one person, one ABHA) and ACCEPTED with its ABHA number or REJECTED with a reason code. " +
        "Idempotent by batchId: a re-upload returns the same result.",
        Request = typeof(DemographicBatchRequest), Response = typeof(DemographicBatchResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/assisted/enrollment/demographic/batches")] HttpRequest req,
        CancellationToken ct)
    {
        var caller = req.Caller();
        var body = await req.ReadJsonAsync<DemographicBatchRequest>(ct);
        var outcome = await demographics.SubmitAsync(AssistedEnrolByAadhaar.Assisted(caller),
            new DemographicBatchSubmission(body.BatchId, body.Programme, body.Records), ct);
        var b = outcome.Batch;
        return new OkObjectResult(new DemographicBatchResponse(b.BatchId, b.Programme, "COMPLETED", b.Received, b.Accepted, b.Rejected,
            b.Results, b.CompletedAt, outcome.Replayed));
    }
}

using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Gateway.Simulator;
using Ndhm.Triggers.Http;
using Ndhm.Triggers.Sandbox;

namespace Ndhm.Triggers.Gateway;

public sealed class ListSandboxCallbacks(SandboxEnvironment sandbox, IBridgeInbox inbox)
{
    [Function(nameof(ListSandboxCallbacks))]
    [PublicEndpoint("Sandbox-only view of what the sample bridges received (loopback callers only, 404 elsewhere).")]
    [OpenApiOperation("Sandbox only: the last 50 requests a sample bridge received.", Response = typeof(ReceivedCallbacksResponse), Tag = "Sandbox")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "sandbox/bridges/{bridge}/received")] HttpRequest req,
        string bridge,
        CancellationToken ct)
    {
        sandbox.EnsureLocalSandbox(req);
        return new OkObjectResult(new ReceivedCallbacksResponse(bridge, await inbox.ListAsync(SimulatedBridges.Check(bridge), 50, ct)));
    }
}

using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Gateway.Simulator;
using Ndhm.Triggers.Http;
using Ndhm.Triggers.Sandbox;

namespace Ndhm.Triggers.Gateway;

/// <summary>
/// Sandbox only: sample HIP, HIU and pharmacy bridges. Register a partner with bridge URL
/// <c>http://localhost:7071/api/sandbox/bridges/hip</c> and every callback it gets is recorded here.
/// </summary>
public sealed class ReceiveSandboxCallback(SandboxEnvironment sandbox, IBridgeInbox inbox, TimeProvider time)
{
    [Function(nameof(ReceiveSandboxCallback))]
    [PublicEndpoint("Sandbox-only sample partner bridge (loopback callers only, 404 elsewhere): it receives the platform's own callbacks.")]
    [OpenApiOperation("Sandbox only: a sample partner bridge (hip, hiu, pharmacy) that records what it receives.", SuccessStatus = 202, Tag = "Sandbox")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "sandbox/bridges/{bridge}/{*path}")] HttpRequest req,
        string bridge,
        string path,
        CancellationToken ct)
    {
        sandbox.EnsureLocalSandbox(req);
        SimulatedBridges.Check(bridge);
        using var reader = new StreamReader(req.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(ct);
        if (body.Length > 256 * 1024)
        {
            throw RequestBody.TooLarge(256 * 1024);
        }

        var headers = SimulatedBridges.Headers.Where(h => req.Headers.ContainsKey(h)).ToDictionary(h => h, h => req.Headers[h].ToString());
        headers["Authorization"] = req.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal) ? "Bearer (present)" : "(none)";
        await inbox.RecordAsync(new ReceivedCallback(Guid.NewGuid().ToString(), bridge, "/" + path, time.GetUtcNow(), headers, body), ct);
        return new StatusCodeResult(StatusCodes.Status202Accepted);
    }
}

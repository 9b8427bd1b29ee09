using System.Net;
using Microsoft.AspNetCore.Http;
using Ndhm.Core.Errors;

namespace Ndhm.Triggers.Sandbox;

/// <summary>
/// Sandbox-only endpoints (test tokens, the OTP outbox) must not exist anywhere else. Two independent guards:
/// the app setting says Sandbox, and the caller is on this machine. A deployed app has neither.
/// </summary>
/// <param name="isSandbox">The app setting <c>Environment</c> is Sandbox (read by the composition root).</param>
public sealed class SandboxEnvironment(bool isSandbox)
{
    public const string Name = "Sandbox";

    public bool IsSandbox => isSandbox;

    /// <summary>Answers as if the endpoint did not exist unless this is the sandbox and the caller is local.</summary>
    public void EnsureLocalSandbox(HttpRequest request)
    {
        var remote = request.HttpContext.Connection.RemoteIpAddress;
        if (!IsSandbox || remote is null || !IPAddress.IsLoopback(remote))
        {
            throw new DomainException(ErrorKind.NotFound, ErrorCodes.NotFound, "Not found.");
        }
    }
}

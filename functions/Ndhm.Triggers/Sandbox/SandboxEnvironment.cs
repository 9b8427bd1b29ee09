using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Ndhm.Core.Configuration;
using Ndhm.Core.Errors;
using Ndhm.Infrastructure.Configuration;

namespace Ndhm.Triggers.Sandbox;

/// <summary>
/// Sandbox-only endpoints (test tokens, the OTP outbox) must not exist anywhere else. Two independent guards:
/// the app setting says Sandbox, and the caller is on this machine. A deployed app has neither.
/// </summary>
public sealed class SandboxEnvironment(IConfiguration configuration)
{
    public const string Name = "Sandbox";

    public bool IsSandbox =>
        string.Equals(configuration.GetSetting(SettingNames.Environment), Name, StringComparison.OrdinalIgnoreCase);

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

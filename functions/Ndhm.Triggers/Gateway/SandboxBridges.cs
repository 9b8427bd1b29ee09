using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Errors;
using Ndhm.Gateway.Simulator;
using Ndhm.Triggers.Http;
using Ndhm.Triggers.Sandbox;

namespace Ndhm.Triggers.Gateway;

public sealed record ReceivedCallbacksResponse(string Bridge, IReadOnlyList<ReceivedCallback> Received);

internal static class SimulatedBridges
{
    public static readonly string[] Names = ["hip", "hiu", "pharmacy"];

    public static string Check(string bridge) =>
        Names.Contains(bridge)
            ? bridge
            : throw new DomainException(ErrorKind.NotFound, ErrorCodes.NotFound, "No such sample bridge.", "Use hip, hiu or pharmacy.");

    /// <summary>Headers worth showing; the bearer token is reduced to whether one was sent.</summary>
    public static readonly string[] Headers = ["REQUEST-ID", "TIMESTAMP", "X-CM-ID", "X-HIP-ID", "X-HIU-ID", "Content-Type"];
}

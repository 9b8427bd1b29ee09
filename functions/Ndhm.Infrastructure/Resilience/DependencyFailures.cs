using System.Net;
using System.Net.Sockets;
using Azure;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Errors;

namespace Ndhm.Infrastructure.Resilience;

/// <summary>
/// Recognises failures that mean "a dependency did not answer" (connection refused, timeouts, 5xx from
/// Cosmos, Storage or Key Vault) so the caller gets 503 problem+json naming the cause rather than a 500 or a hang.
/// Adapters should map their own errors; this is the net beneath them.
/// </summary>
public static class DependencyFailures
{
    public const string Code = ErrorCodes.DependencyUnavailable;

    public static DomainException? Classify(Exception e)
    {
        var dependency = e switch
        {
            CosmosException c when IsTransient(c.StatusCode) => "cosmos",
            CosmosOperationCanceledException => "cosmos",
            RequestFailedException r when r.Status == 0 || r.Status >= 500 => "storage or keys",
            HttpRequestException => "a downstream service",
            SocketException => "a downstream service",
            TimeoutException => "a downstream service",
            _ when e.InnerException is not null => null,
            _ => null,
        };
        if (dependency is null)
        {
            return e.InnerException is { } inner && !ReferenceEquals(inner, e) ? Classify(inner) : null;
        }

        return new DomainException(ErrorKind.DependencyUnavailable, Code, "A platform dependency is unavailable.",
            $"{dependency} did not answer; retry later.",
            new Dictionary<string, object?> { ["dependency"] = dependency }) { RetryAfterSeconds = 5 };
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.RequestTimeout or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout or 0;
}

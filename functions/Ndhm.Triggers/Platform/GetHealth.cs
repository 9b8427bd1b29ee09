using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Errors;
using Ndhm.Core.Health;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Platform;

/// <summary>Liveness and readiness in one: 200 only when every dependency answers, 503 naming those that do not.</summary>
public sealed class GetHealth(HealthCheck health)
{
    [Function(nameof(GetHealth))]
    [PublicEndpoint("Load balancers and operators probe it without credentials; it reveals no data.")]
    [OpenApiOperation("Health of the platform and each dependency (Cosmos, storage, keys).", Response = typeof(HealthResponse))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req,
        CancellationToken ct)
    {
        var report = await health.RunAsync(HealthCheck.DefaultTimeout, ct);
        var body = HealthResponse.From(report);
        if (report.Healthy)
        {
            return new OkObjectResult(body);
        }

        return new ProblemResult(new DomainException(
            ErrorKind.DependencyUnavailable,
            ErrorCodes.DependencyUnavailable,
            "A platform dependency is unavailable.",
            "Not answering: " + string.Join(", ", report.Failing) + ".",
            new Dictionary<string, object?> { ["dependencies"] = body.Dependencies, ["healthy"] = false })
        { RetryAfterSeconds = 5 });
    }
}

public sealed record HealthResponse(bool Healthy, IReadOnlyList<DependencyHealth> Dependencies)
{
    public static HealthResponse From(HealthReport report) => new(
        report.Healthy,
        report.Dependencies.Select(d => new DependencyHealth(d.Name, d.Healthy ? "up" : "down", d.ElapsedMs, d.Error)).ToList());
}

public sealed record DependencyHealth(string Name, string Status, long ElapsedMs, string? Error);

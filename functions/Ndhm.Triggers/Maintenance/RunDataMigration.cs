using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Audit;
using Ndhm.Core.Errors;
using Ndhm.Core.Maintenance;
using Ndhm.Core.Security;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Maintenance;

/// <summary>What to migrate next: after the previous page's <c>next</c> (null: from the start), at most <c>max</c> items.</summary>
public sealed record MigrationPageRequest(string? After, int? Max);

/// <summary>
/// Runs one page of a data migration (platform admins): <c>facility-partner-index</c> (partners registered before the
/// per-facility index) or <c>link-hip-ids</c> (links stored under a single-facility HIP partner's client id). Call
/// again with <c>after</c> = the answer's <c>next</c> until <c>done</c>; each page is idempotent, so an interrupted run
/// resumes from its last <c>next</c>, or from the start. Bounded pages keep every call well inside the function
/// timeout; each page is on the platform's audit chain.
/// </summary>
public sealed class RunDataMigration(IEnumerable<IDataMigration> migrations, IAuditTrail audit)
{
    public const int DefaultPage = 200;
    public const int MaxPage = 1000;

    [Function(nameof(RunDataMigration))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Run one page of a data migration (facility-partner-index, link-hip-ids); repeat with after = next until done (platform admins).",
        Request = typeof(MigrationPageRequest), Response = typeof(MigrationPage), Tag = "Operations")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/migrations/{name}")] HttpRequest req,
        string name,
        CancellationToken ct)
    {
        var migration = migrations.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal))
                        ?? throw new DomainException(ErrorKind.NotFound, "MIGRATION_NOT_FOUND", "No such migration.",
                            $"Known: {string.Join(", ", migrations.Select(m => m.Name).Order(StringComparer.Ordinal))}.");
        var input = req.HasBody() ? await req.ReadJsonAsync<MigrationPageRequest>(ct) : null;
        var max = input?.Max ?? DefaultPage;
        if (max is < 1 or > MaxPage)
            throw new DomainException(ErrorKind.Validation, ErrorCodes.InvalidRequest, "max is out of range.", $"max must be 1 to {MaxPage}.");
        var page = await migration.RunPageAsync(string.IsNullOrEmpty(input?.After) ? null : input.After, max, ct);
        var caller = req.Caller();
        await audit.RecordAsync(new AuditEvent(AuditChainKey.Platform, new AuditActor(caller.Subject, caller.Roles.ToList()), "maintenance.migration",
            new AuditResource("migration", migration.Name), Outcome: $"visited {page.Visited}, changed {page.Changed}, next {page.Next ?? "(done)"}"), ct);
        return new OkObjectResult(new { migration = page.Migration, visited = page.Visited, changed = page.Changed, next = page.Next, done = page.Done });
    }
}

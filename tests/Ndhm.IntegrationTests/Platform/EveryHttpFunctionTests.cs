using System.Net;
using System.Text.Json;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Platform;

/// <summary>
/// Walks the OpenAPI document (generated from the same attributes the host routes by) and calls every
/// operation through the running host: each is routed, and none that declares roles is open without a token or
/// to a token of the wrong role.
/// </summary>
[Collection(SharedSandboxHost.Name)]
public sealed class EveryHttpFunctionTests(SandboxHostFixture sandbox)
{
    [Fact]
    public async Task EveryOperation_IsRoutedByTheLocalHost()
    {
        var operations = await OperationsAsync();
        Assert.NotEmpty(operations);
        var unreachable = new List<string>();

        foreach (var operation in operations)
        {
            using var response = await sandbox.Client.SendAsync(new HttpRequestMessage(operation.Method, operation.Url));
            var body = await response.Content.ReadAsStringAsync();
            // The router's own 404/405 (answered by the local host as ROUTE_NOT_FOUND and 405); a function's 404 carries its own code.
            if (response.StatusCode is HttpStatusCode.MethodNotAllowed || (response.StatusCode == HttpStatusCode.NotFound && (body.Length == 0 || body.Contains("\"ROUTE_NOT_FOUND\"", StringComparison.Ordinal))))
            {
                unreachable.Add($"{operation.Method} {operation.Url} -> {(int)response.StatusCode}");
            }
        }

        Assert.Empty(unreachable);
    }

    [Fact]
    public async Task EveryRoleRestrictedOperation_Returns401WithoutTokenAnd403WithAWrongRole()
    {
        var restricted = (await OperationsAsync()).Where(o => o.Roles.Count > 0).ToList();
        Assert.NotEmpty(restricted);
        var open = new List<string>();

        foreach (var operation in restricted)
        {
            using var anonymous = await sandbox.Client.SendAsync(new HttpRequestMessage(operation.Method, operation.Url));
            if (anonymous.StatusCode != HttpStatusCode.Unauthorized)
            {
                open.Add($"{operation.Method} {operation.Url} without token -> {(int)anonymous.StatusCode}");
            }

            var wrongRole = Ndhm.Core.Security.Roles.All.First(r => !operation.Roles.Contains(r));
            var token = await sandbox.TokenAsync(wrongRole);
            using var wrong = await sandbox.Client.SendAsync(sandbox.Request(operation.Method, operation.Url, token));
            if (wrong.StatusCode != HttpStatusCode.Forbidden)
            {
                open.Add($"{operation.Method} {operation.Url} as {wrongRole} -> {(int)wrong.StatusCode}");
            }
        }

        Assert.Empty(open);
    }

    private sealed record Operation(HttpMethod Method, string Url, IReadOnlyList<string> Roles);

    private async Task<List<Operation>> OperationsAsync()
    {
        var document = JsonDocument.Parse(await sandbox.Client.GetStringAsync("api/openapi.json")).RootElement;
        var operations = new List<Operation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var url = System.Text.RegularExpressions.Regex.Replace(path.Name, @"\{[^}]+\}", "probe-value").TrimStart('/');
            foreach (var method in path.Value.EnumerateObject())
            {
                var roles = method.Value.TryGetProperty("x-roles", out var r)
                    ? r.EnumerateArray().Select(x => x.GetString()!).ToList()
                    : [];
                operations.Add(new Operation(new HttpMethod(method.Name.ToUpperInvariant()), url, roles));
            }
        }

        return operations;
    }
}

using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;
using Ndhm.Triggers.Http;
using Ndhm.Triggers.Hosting;
using Ndhm.Triggers.Platform;

namespace Ndhm.UnitTests.Platform;

public sealed class FunctionCatalogTests
{
    [Fact]
    public void EveryHttpFunction_DeclaresAnAccessPolicy()
    {
        var http = FunctionCatalog.Functions.Where(f => f.Kind == TriggerKind.Http).ToList();

        Assert.NotEmpty(http);
        Assert.All(http, f => Assert.NotNull(EndpointPolicy.For(f.Method)));
    }

    [Fact]
    public void OpenApiDocument_HasAnOperationForEveryHttpFunction()
    {
        var document = OpenApiDocument.Build(FunctionCatalog.Functions, "api", "1.0.0");

        var operationIds = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(m => m.Value!["operationId"]!.GetValue<string>()))
            .ToHashSet();
        var http = FunctionCatalog.Functions.Where(f => f.Kind == TriggerKind.Http).Select(f => f.Name);
        Assert.All(http, name => Assert.Contains(name, operationIds));
    }

    [Fact]
    public void OpenApiDocument_MarksRoleRestrictedOperationsWithBearerSecurityAndTheirRoles()
    {
        var document = OpenApiDocument.Build(FunctionCatalog.Functions, "api", "1.0.0");

        var selfTest = document["paths"]!["/api/ops/selftest"]!["post"]!;
        Assert.NotNull(selfTest["security"]);
        Assert.Equal("PLATFORM_ADMIN", selfTest["x-roles"]![0]!.GetValue<string>());
        Assert.Null(document["paths"]!["/api/health"]!["get"]!["security"]);
    }

    [Fact]
    public void Discover_RejectsAFunctionWithATriggerThePlatformDoesNotHost()
    {
        var assembly = new SingleTypeAssembly(typeof(UnsupportedTriggerHolder).Assembly, typeof(UnsupportedTriggerHolder));

        var exception = Assert.Throws<NotSupportedException>(() => FunctionCatalog.Discover(assembly));

        Assert.Contains("BlobLikeTrigger", exception.Message);
    }

    [Fact]
    public void EndpointPolicy_RejectsAnHttpFunctionWithoutAnAccessDeclaration()
    {
        var method = typeof(UndeclaredAccessHolder).GetMethod(nameof(UndeclaredAccessHolder.Run))!;

        var exception = Assert.Throws<InvalidOperationException>(() => EndpointPolicy.For(method));

        Assert.Contains("declares no access policy", exception.Message);
    }

    public sealed class BlobLikeTriggerAttribute : TriggerBindingAttribute;

    public sealed class UnsupportedTriggerHolder
    {
        [Function("Unsupported")]
        public void Run([BlobLikeTrigger] string blob)
        {
        }
    }

    public sealed class UndeclaredAccessHolder
    {
        [Function("Undeclared")]
        public void Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] Microsoft.AspNetCore.Http.HttpRequest req)
        {
        }
    }

    /// <summary>Exposes one type of an assembly, so discovery sees a single deliberately broken function.</summary>
    private sealed class SingleTypeAssembly(Assembly inner, Type only) : Assembly
    {
        public override Type[] GetTypes() => [only];

        public override string? FullName => inner.FullName;
    }
}

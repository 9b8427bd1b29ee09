using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;
using Ndhm.Triggers.Hosting;

namespace Ndhm.Triggers.Http;

/// <summary>
/// Runs <see cref="HttpFunctionGate"/> around HTTP functions inside the Azure Functions worker (the local host
/// calls the gate directly). A problem the gate produces replaces the function's result.
/// </summary>
public sealed class HttpGateMiddleware : IFunctionsWorkerMiddleware
{
    private static readonly Dictionary<string, FunctionDescriptor> ByName =
        FunctionCatalog.Functions.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext();
        if (http is null || !ByName.TryGetValue(context.FunctionDefinition.Name, out var function) || function.Kind != TriggerKind.Http)
        {
            await next(context);
            return;
        }

        var gate = context.InstanceServices.GetRequiredService<HttpFunctionGate>();
        var result = await gate.InvokeAsync(http, function, async () =>
        {
            await next(context);
            return context.GetInvocationResult().Value;
        });
        if (result is IActionResult or IResult)
        {
            context.GetInvocationResult().Value = result;
        }
    }
}

using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Ndhm.LocalHost.Functions;
using Ndhm.LocalHost.Hosting;
using Ndhm.Triggers.Http;
using Ndhm.Triggers.Hosting;

namespace Ndhm.LocalHost.Http;

/// <summary>
/// Maps every <c>[HttpTrigger]</c> function onto an ASP.NET Core endpoint with the same methods and route
/// (under host.json's routePrefix) and runs it through the same <see cref="HttpFunctionGate"/> as in Azure.
/// </summary>
public static class LocalHttpTriggers
{
    public static IServiceCollection AddLocalHttpTriggers(
        this IServiceCollection services, IReadOnlyList<FunctionDescriptor> functions, TriggerRunners runners)
    {
        services.AddMvcCore();
        foreach (var function in functions.Where(f => f.Kind == TriggerKind.Http))
        {
            // Fail at start-up, not at the first request, when a function's access policy or parameters are wrong.
            _ = EndpointPolicy.For(function.Method);
            foreach (var parameter in function.Method.GetParameters())
            {
                EnsureBindable(function, parameter);
            }
        }

        runners.Claim(TriggerKind.Http);
        return services;
    }

    public static void MapHttpFunctions(this WebApplication app, IReadOnlyList<FunctionDescriptor> functions, HostJson hostJson)
    {
        foreach (var function in functions.Where(f => f.Kind == TriggerKind.Http))
        {
            var trigger = function.TriggerAs<HttpTriggerAttribute>();
            var route = string.Join('/', new[] { hostJson.RoutePrefix, trigger.Route ?? function.Name }
                .Where(s => !string.IsNullOrEmpty(s)));
            var methods = trigger.Methods is { Length: > 0 }
                ? trigger.Methods.Select(m => m.ToUpperInvariant()).ToArray()
                : ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
            app.MapMethods("/" + route, methods, (HttpContext http) => RunAsync(http, function))
                .WithName(function.Name);
        }
    }

    private static async Task RunAsync(HttpContext http, FunctionDescriptor function)
    {
        var gate = http.RequestServices.GetRequiredService<HttpFunctionGate>();
        var result = await gate.InvokeAsync(http, function, () =>
            FunctionInvoker.InvokeAsync(function, http.RequestServices, p => Bind(http, function, p), http.RequestAborted));
        await WriteAsync(http, result);
    }

    private static async Task WriteAsync(HttpContext http, object? result)
    {
        switch (result)
        {
            case IActionResult action:
                await action.ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor()));
                break;
            case IResult minimal:
                await minimal.ExecuteAsync(http);
                break;
            case null:
                http.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            default:
                throw new NotSupportedException(
                    $"HTTP functions return IActionResult or IResult; got {result.GetType().Name}.");
        }
    }

    private static object? Bind(HttpContext http, FunctionDescriptor function, ParameterInfo parameter)
    {
        if (parameter == function.TriggerParameter)
        {
            return http.Request;
        }

        if (parameter.GetCustomAttribute<DurableClientAttribute>() is not null)
        {
            return http.RequestServices.GetRequiredService(parameter.ParameterType);
        }

        var raw = http.GetRouteValue(parameter.Name!)?.ToString();
        if (raw is null)
        {
            return parameter.HasDefaultValue ? parameter.DefaultValue : null;
        }

        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        return type == typeof(string) ? raw
            : type == typeof(Guid) ? Guid.Parse(raw)
            : Convert.ChangeType(raw, type, CultureInfo.InvariantCulture);
    }

    private static void EnsureBindable(FunctionDescriptor function, ParameterInfo parameter)
    {
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        var bindable = parameter == function.TriggerParameter
            || type == typeof(CancellationToken)
            || parameter.GetCustomAttribute<DurableClientAttribute>() is not null
            || type == typeof(string) || type == typeof(Guid) || type.IsPrimitive;
        if (parameter == function.TriggerParameter && parameter.ParameterType != typeof(HttpRequest))
        {
            throw new NotSupportedException($"{function.Name}: HTTP trigger parameters must be HttpRequest.");
        }

        if (!bindable)
        {
            throw new NotSupportedException(
                $"{function.Name}: parameter '{parameter.Name}' of type {parameter.ParameterType.Name} cannot be bound " +
                "(use HttpRequest, route values, [DurableClient] or CancellationToken; no FunctionContext).");
        }
    }
}

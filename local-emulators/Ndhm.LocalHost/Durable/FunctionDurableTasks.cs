using System.Reflection;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Ndhm.LocalHost.Functions;
using Ndhm.Triggers.Hosting;

namespace Ndhm.LocalHost.Durable;

/// <summary>
/// An <c>[OrchestrationTrigger]</c> function as an SDK orchestrator. A fresh function instance (from a DI scope) runs
/// each replay, like the isolated worker does. Parameters: the context, optionally one input parameter (bound from
/// the orchestration input, as the Functions extension allows), and CancellationToken.
/// </summary>
internal sealed class FunctionOrchestrator(FunctionDescriptor function, IServiceProvider services) : ITaskOrchestrator
{
    // JsonElement, not object: the shim casts the deserialized input, and the real type is only known to GetInput<T>.
    public Type InputType => typeof(JsonElement);

    public Type OutputType => typeof(object);

    public static void EnsureBindable(FunctionDescriptor function)
    {
        if (function.TriggerParameter.ParameterType != typeof(TaskOrchestrationContext))
        {
            throw new NotSupportedException($"{function.Name}: [OrchestrationTrigger] parameters must be TaskOrchestrationContext.");
        }

        var inputs = function.Method.GetParameters()
            .Where(p => p != function.TriggerParameter && p.ParameterType != typeof(CancellationToken))
            .ToList();
        if (inputs.Count > 1 || inputs.Any(p => p.ParameterType == typeof(FunctionContext)))
        {
            throw new NotSupportedException(
                $"{function.Name}: orchestrators take the context, at most one input parameter and CancellationToken " +
                "(no FunctionContext: use context.CreateReplaySafeLogger).");
        }
    }

    public async Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
    {
        var wrapped = new FunctionOrchestrationContext(context, input, services.GetRequiredService<ILoggerFactory>());
        using var scope = services.CreateScope();
        // No ConfigureAwait(false) anywhere on this path: the continuation must stay on DTFx's orchestrator thread.
        return await FunctionInvoker.InvokeAsync(function, scope.ServiceProvider, p => Bind(p, wrapped, input), CancellationToken.None);
    }

    private object? Bind(ParameterInfo parameter, TaskOrchestrationContext context, object? input) =>
        parameter == function.TriggerParameter
            ? context
            : FunctionOrchestrationContext.ConvertInput(input, parameter.ParameterType);
}

/// <summary>
/// An <c>[ActivityTrigger]</c> function as an SDK activity: its input arrives deserialized to the trigger parameter's
/// type, and the function runs in its own DI scope.
/// </summary>
internal sealed class FunctionActivity(FunctionDescriptor function, IServiceScopeFactory scopes) : ITaskActivity
{
    public Type InputType => function.TriggerParameter.ParameterType;

    public Type OutputType => typeof(object);

    public static void EnsureBindable(FunctionDescriptor function)
    {
        var others = function.Method.GetParameters()
            .Where(p => p != function.TriggerParameter && p.ParameterType != typeof(CancellationToken))
            .ToList();
        if (others.Count > 0 || function.TriggerParameter.ParameterType == typeof(FunctionContext))
        {
            throw new NotSupportedException(
                $"{function.Name}: activities take their input ([ActivityTrigger]) and CancellationToken only; " +
                $"cannot bind {string.Join(", ", others.Select(p => p.Name))}.");
        }
    }

    public async Task<object?> RunAsync(TaskActivityContext context, object? input)
    {
        await using var scope = scopes.CreateAsyncScope();
        var type = function.TriggerParameter.ParameterType;
        var value = input ?? (type.IsValueType ? Activator.CreateInstance(type) : null);
        return await FunctionInvoker.InvokeAsync(function, scope.ServiceProvider, _ => value, CancellationToken.None);
    }
}

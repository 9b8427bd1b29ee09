using System.Reflection;
using System.Runtime.ExceptionServices;
using Ndhm.Triggers.Hosting;

namespace Ndhm.LocalHost.Functions;

/// <summary>
/// Calls a <c>[Function]</c> method the way the isolated worker does: a fresh instance of its class from DI for
/// each invocation, parameters bound by the trigger-specific binder, and the returned task awaited.
/// </summary>
public static class FunctionInvoker
{
    /// <param name="services">The scope of this invocation (an HTTP request's RequestServices, or a new scope).</param>
    /// <param name="bind">Supplies the value of every parameter except <see cref="CancellationToken"/>.</param>
    public static async Task<object?> InvokeAsync(
        FunctionDescriptor function,
        IServiceProvider services,
        Func<ParameterInfo, object?> bind,
        CancellationToken ct)
    {
        var method = function.Method;
        var instance = method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
        try
        {
            var arguments = method.GetParameters()
                .Select(p => p.ParameterType == typeof(CancellationToken) ? ct : bind(p))
                .ToArray();
            object? returned;
            try
            {
                returned = method.Invoke(instance, arguments);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }

            return await UnwrapAsync(returned);
        }
        finally
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    /// <summary>Awaits Task, Task&lt;T&gt;, ValueTask and ValueTask&lt;T&gt; and returns the result, if any.</summary>
    public static async Task<object?> UnwrapAsync(object? returned)
    {
        switch (returned)
        {
            case null:
                return null;
            case Task task:
                await task;
                return ResultOf(task);
            case ValueTask valueTask:
                await valueTask;
                return null;
        }

        var type = returned.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            var asTask = (Task)type.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(returned, null)!;
            await asTask;
            return ResultOf(asTask);
        }

        return returned;
    }

    private static object? ResultOf(Task task)
    {
        var type = task.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var result = type.GetProperty(nameof(Task<int>.Result))!.GetValue(task);
        // Task.WhenAll and async methods returning Task surface as Task<VoidTaskResult>: not a real result.
        return result?.GetType().Name == "VoidTaskResult" ? null : result;
    }
}

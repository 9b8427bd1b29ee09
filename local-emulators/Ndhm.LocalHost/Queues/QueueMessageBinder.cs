using System.Reflection;
using System.Text.Json;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Json;
using Ndhm.Triggers.Hosting;

namespace Ndhm.LocalHost.Queues;

/// <summary>
/// Binds a queue message to the trigger parameter the way the isolated worker does for the types the platform uses:
/// string, BinaryData, byte[], QueueMessage, or a POCO deserialized with the platform's JSON options.
/// </summary>
internal static class QueueMessageBinder
{
    public static void EnsureBindable(FunctionDescriptor function)
    {
        var others = function.Method.GetParameters()
            .Where(p => p != function.TriggerParameter && p.ParameterType != typeof(CancellationToken))
            .ToList();
        var type = function.TriggerParameter.ParameterType;
        if (others.Count > 0 || type == typeof(FunctionContext) || type == typeof(object))
        {
            throw new NotSupportedException(
                $"{function.Name}: queue functions take the message (string, BinaryData, byte[], QueueMessage or a POCO) " +
                "and CancellationToken only; no FunctionContext or binding-data parameters.");
        }
    }

    public static object? Bind(FunctionDescriptor function, ParameterInfo parameter, QueueMessage message)
    {
        if (parameter != function.TriggerParameter)
        {
            throw new NotSupportedException($"{function.Name}: cannot bind parameter '{parameter.Name}'.");
        }

        var type = parameter.ParameterType;
        return type == typeof(string) ? message.Body.ToString()
            : type == typeof(BinaryData) ? message.Body
            : type == typeof(byte[]) ? message.Body.ToArray()
            : type == typeof(QueueMessage) ? message
            : JsonSerializer.Deserialize(message.Body.ToMemory().Span, type, NdhmJson.Options)
              ?? throw new JsonException($"The message of {function.Name} is JSON null.");
    }
}

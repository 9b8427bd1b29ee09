using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.WebJobs.Script.Grpc.Messages;
using Ndhm.GrpcHost.Durable;
using Yarp.ReverseProxy.Forwarder;

namespace Ndhm.GrpcHost;

/// <summary>
/// Invokes loaded functions over the worker's stream. HTTP, as the host does with a worker that reports the
/// <c>HttpUri</c> capability: it adds the invocation id to the request (<c>x-ms-invocation-id</c>), starts
/// forwarding the request to the worker's own HTTP endpoint (YARP's forwarder, as the host uses), then sends the
/// InvocationRequest with an empty RpcHttp for the trigger (the worker reads the request from its own Kestrel) and
/// the route values as trigger metadata; the response the client gets is the one the worker wrote.
/// </summary>
public sealed class Invocations(WorkerChannel channel, WorkerSession session, IHttpForwarder forwarder, DurableClientBinding durableClient, ILogger<Invocations> logger) : IDisposable
{
    private static readonly TimeSpan FunctionTimeout = TimeSpan.FromMinutes(10);

    private readonly HttpMessageInvoker invoker = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ActivityHeadersPropagator = null,
    });

    public async Task InvokeHttpAsync(HttpContext http, LoadedFunction function)
    {
        var workerUri = session.HttpUri ?? throw new InvalidOperationException("The worker did not report an HttpUri capability.");
        var invocationId = Guid.NewGuid().ToString();
        http.Request.Headers["x-ms-invocation-id"] = invocationId;

        var request = NewRequest(function, invocationId);
        request.InputData.Add(new ParameterBinding { Name = function.TriggerName, Data = new TypedData { Http = new RpcHttp() } });
        foreach (var (name, value) in http.GetRouteData().Values)
        {
            if (value is not null)
            {
                request.TriggerMetadata[name] = new TypedData { String = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) };
            }
        }

        request.TriggerMetadata["Query"] = Json(http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()));
        request.TriggerMetadata["Headers"] = Json(http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString()));

        var forwarding = forwarder.SendAsync(http, workerUri.ToString(), invoker,
            new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(240) }).AsTask();
        var invocation = channel.SendAsync(new StreamingMessage { InvocationRequest = request }, FunctionTimeout, http.RequestAborted);

        var forwardError = await forwarding;
        InvocationResponse? response = null;
        try
        {
            response = (await invocation).InvocationResponse;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            logger.LogError(e, "Invocation {InvocationId} of {Function} got no response", invocationId, function.Name);
        }

        var failed = forwardError != ForwarderError.None || response?.Result.Status != StatusResult.Types.Status.Success;
        if (failed)
        {
            logger.LogError("Invocation {InvocationId} of {Function} failed: forwarding {Forward}, worker {Status} {Message}",
                invocationId, function.Name, forwardError, response?.Result.Status, response?.Result.Exception?.Message);
            if (!http.Response.HasStarted)
            {
                http.Response.Clear();
                http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        }
    }

    /// <summary>
    /// Invokes a queue-triggered function with one message, with the binding data the Storage Queues extension
    /// gives the host for a message (QueueTrigger, Id, PopReceipt, DequeueCount, InsertionTime, ExpirationTime,
    /// NextVisibleTime), as the host's admin API (<c>POST /admin/functions/{name}</c>) does for a non-HTTP function.
    /// </summary>
    public async Task<InvocationResponse> InvokeQueueAsync(LoadedFunction function, string message, int dequeueCount, CancellationToken ct)
    {
        var invocationId = Guid.NewGuid().ToString();
        var request = NewRequest(function, invocationId);
        var now = DateTimeOffset.UtcNow;
        request.InputData.Add(new ParameterBinding { Name = function.TriggerName, Data = new TypedData { String = message } });
        request.TriggerMetadata["QueueTrigger"] = new TypedData { String = message };
        request.TriggerMetadata["Id"] = new TypedData { String = Guid.NewGuid().ToString() };
        request.TriggerMetadata["PopReceipt"] = new TypedData { String = Convert.ToBase64String(Guid.NewGuid().ToByteArray()) };
        // The host sends numbers and dates of binding data as JSON (its ToRpcDefault), never TypedData.Int (the worker rejects it).
        request.TriggerMetadata["DequeueCount"] = Json(dequeueCount);
        request.TriggerMetadata["InsertionTime"] = Json(now);
        request.TriggerMetadata["ExpirationTime"] = Json(now.AddDays(7));
        request.TriggerMetadata["NextVisibleTime"] = Json(now.AddMinutes(10));
        var answer = await channel.SendAsync(new StreamingMessage { InvocationRequest = request }, FunctionTimeout, ct);
        return answer.InvocationResponse ?? throw new InvalidOperationException($"Expected InvocationResponse, got {answer.ContentCase}.");
    }

    /// <summary>
    /// Invokes an orchestrator or activity function with its trigger input as the Durable extension binds it: the
    /// base64 OrchestratorRequest, or the activity's serialized input (absent when the activity has none).
    /// </summary>
    public async Task<InvocationResponse> InvokeDurableAsync(LoadedFunction function, string instanceId, string? input, CancellationToken ct)
    {
        var request = NewRequest(function, Guid.NewGuid().ToString());
        request.InputData.Add(new ParameterBinding { Name = function.TriggerName, Data = input is null ? new TypedData() : new TypedData { String = input } });
        request.TriggerMetadata["instanceId"] = new TypedData { String = instanceId };
        var answer = await channel.SendAsync(new StreamingMessage { InvocationRequest = request }, FunctionTimeout, ct);
        return answer.InvocationResponse ?? throw new InvalidOperationException($"Expected InvocationResponse, got {answer.ContentCase}.");
    }

    public void Dispose() => invoker.Dispose();

    private InvocationRequest NewRequest(LoadedFunction function, string invocationId)
    {
        var request = new InvocationRequest
        {
            FunctionId = function.Id,
            InvocationId = invocationId,
            TraceContext = new RpcTraceContext { TraceParent = Activity.Current?.Id ?? "", TraceState = Activity.Current?.TraceStateString ?? "" },
        };
        // [DurableClient] inputs: the Durable extension's client binding data, a JSON string the worker's converter reads.
        if (durableClient.Json is { } clientJson)
        {
            foreach (var name in function.DurableClientBindings)
            {
                request.InputData.Add(new ParameterBinding { Name = name, Data = new TypedData { String = clientJson } });
            }
        }

        return request;
    }

    private static TypedData Json<T>(T value) => new() { Json = JsonSerializer.Serialize(value) };
}

namespace Ndhm.IntegrationTests.Support;

/// <summary>Which functions host a test drives.</summary>
public enum HostKind
{
    /// <summary>local-emulators/Ndhm.LocalHost: calls the [Function] classes directly.</summary>
    Local,

    /// <summary>
    /// tests/Ndhm.GrpcHost: the built function app (functions/Ndhm.Functions) as Azure runs it, its worker process
    /// connected over the Functions gRPC protocol, HTTP forwarded to the worker's ASP.NET Core endpoint.
    /// </summary>
    GrpcWorker,
}

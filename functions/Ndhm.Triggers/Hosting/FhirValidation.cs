using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ndhm.Fhir.Validation;

namespace Ndhm.Triggers.Hosting;

/// <summary>
/// The ABDM FHIR validator, one per process, warmed up at start-up so the first data transfer does not pay the
/// validator's cold start (loading the compact definitions and compiling the document profiles).
/// </summary>
public static class FhirValidationServices
{
    public static IServiceCollection AddFhirValidation(this IServiceCollection services)
    {
        services.TryAddSingleton(_ => new AbdmFhirValidator(new AbdmFhirValidatorOptions()));
        services.TryAddSingleton<IFhirDocumentValidator>(sp => sp.GetRequiredService<AbdmFhirValidator>());
        services.TryAddSingleton<FhirValidatorWarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<FhirValidatorWarmUp>());
        return services;
    }
}

/// <summary>
/// Validates one small bundle in the background as the host starts. Callers arriving meanwhile wait for the
/// warm validator rather than building a second one; a failed warm-up is logged and the first call retries it.
/// </summary>
public sealed partial class FhirValidatorWarmUp(IFhirDocumentValidator validator, ILogger<FhirValidatorWarmUp> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // never hold up the host's start
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await validator.WarmUpAsync(stoppingToken);
            LogWarm(logger, clock.ElapsedMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "FHIR validator warm in {ElapsedMs} ms")]
    private static partial void LogWarm(ILogger logger, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "FHIR validator warm-up failed; the first validation will pay the cold start")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

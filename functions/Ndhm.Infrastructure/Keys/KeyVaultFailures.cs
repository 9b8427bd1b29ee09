using System.Text.Json;
using Azure;
using Azure.Identity;
using Ndhm.Core.Errors;
using Ndhm.Core.Keys;

namespace Ndhm.Infrastructure.Keys;

/// <summary>Which exceptions mean "the vault did not do it", and the one domain error they become.</summary>
internal static class KeyVaultFailures
{
    /// <summary>
    /// True for vault, transport, credential and response-shape failures; false for the caller's own
    /// cancellation, which must propagate as cancellation.
    /// </summary>
    public static bool IsDependencyFailure(Exception e, CancellationToken ct) => e switch
    {
        OperationCanceledException => !ct.IsCancellationRequested, // Azure.Core's network timeout
        RequestFailedException or AuthenticationFailedException or JsonException or KeyNotFoundException
            or FormatException or InvalidOperationException or AggregateException or HttpRequestException => true,
        _ => false,
    };

    public static DomainException Unavailable(Exception e) => new(
        ErrorKind.DependencyUnavailable, KeyErrorCodes.KeysUnavailable, "The key service is unavailable.",
        Describe(e), inner: e) { RetryAfterSeconds = 5 };

    /// <summary>An operator-safe one-liner: status and Key Vault error code, never a token or key material.</summary>
    public static string Describe(Exception e) => e switch
    {
        RequestFailedException { Status: > 0 } r => $"Key Vault answered {r.Status} {r.ErrorCode}".TrimEnd(),
        RequestFailedException => "Key Vault could not be reached.",
        AuthenticationFailedException => "No credential could get a Key Vault token.",
        OperationCanceledException => "Key Vault did not answer in time.",
        AggregateException => "Key Vault could not be reached after retries.",
        _ => "Key Vault returned an unexpected response.",
    };
}

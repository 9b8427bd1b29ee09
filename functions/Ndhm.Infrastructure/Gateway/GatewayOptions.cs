using Microsoft.Extensions.Configuration;
using Ndhm.Core.Configuration;
using Ndhm.Gateway.Callbacks;
using Ndhm.Gateway.Partners;
using Ndhm.Infrastructure.Configuration;

namespace Ndhm.Infrastructure.Gateway;

/// <summary>Gateway settings (all optional; see <see cref="SettingNames"/> <c>Gateway__*</c>).</summary>
public sealed record GatewayOptions
{
    public const string DefaultCallbackQueue = "gateway-callbacks";

    /// <summary>The subject of tokens the platform issues to itself for outbound callbacks.</summary>
    public const string PlatformSubject = "ndhm-gateway";

    public string CmId { get; init; } = "sbx";
    public int SecretHashIterations { get; init; } = ClientSecrets.DefaultIterations;
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromMinutes(20);
    public TimeSpan RefreshTokenLifetime { get; init; } = TimeSpan.FromHours(24);
    public SessionLifetimes Sessions => new(SessionLifetime, RefreshTokenLifetime);
    public BackoffPolicy Backoff { get; init; } = BackoffPolicy.Default;
    public TimeSpan CallbackTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public string CallbackQueue { get; init; } = DefaultCallbackQueue;

    public static GatewayOptions FromConfiguration(IConfiguration configuration)
    {
        int Int(string name, int fallback, int min) =>
            int.TryParse(configuration.GetSetting(name), out var v) && v >= min ? v : fallback;

        var defaults = BackoffPolicy.Default;
        return new GatewayOptions
        {
            CmId = configuration.GetSetting(SettingNames.GatewayCmId) ?? "sbx",
            SecretHashIterations = Int(SettingNames.GatewaySecretHashIterations, ClientSecrets.DefaultIterations, 1),
            SessionLifetime = TimeSpan.FromMinutes(Int(SettingNames.GatewaySessionMinutes, 20, 1)),
            RefreshTokenLifetime = TimeSpan.FromHours(Int(SettingNames.GatewayRefreshTokenHours, 24, 1)),
            Backoff = new BackoffPolicy(
                Int(SettingNames.GatewayCallbackMaxAttempts, defaults.MaxAttempts, 1),
                TimeSpan.FromMilliseconds(Int(SettingNames.GatewayCallbackInitialDelayMs, (int)defaults.InitialDelay.TotalMilliseconds, 0)),
                TimeSpan.FromMilliseconds(Int(SettingNames.GatewayCallbackMaxDelayMs, (int)defaults.MaxDelay.TotalMilliseconds, 0))),
            CallbackTimeout = TimeSpan.FromSeconds(Int(SettingNames.GatewayCallbackTimeoutSeconds, 10, 1)),
            CallbackQueue = configuration.GetSetting(SettingNames.GatewayCallbackQueue) is { Length: > 0 } queue ? queue : DefaultCallbackQueue,
        };
    }
}

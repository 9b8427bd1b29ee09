using Ndhm.Core.Configuration;

namespace Ndhm.Gateway.Callbacks;

/// <summary>The queue that carries one delivery attempt per message.</summary>
public static class CallbackQueue
{
    /// <summary>The queue trigger's binding expression: the queue named by the <c>Gateway__CallbackQueue</c> setting.</summary>
    public const string TriggerBinding = "%" + SettingNames.GatewayCallbackQueue + "%";
}

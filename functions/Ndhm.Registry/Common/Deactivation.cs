namespace Ndhm.Registry.Common;

/// <summary>
/// Why, when and by whom a registry entry stopped being active (a facility closed, a professional's registration
/// lapsed or was suspended). An entry without one is active. Kept on the entry so reads show it.
/// </summary>
public sealed record Deactivation(string Reason, DateTimeOffset At, string By)
{
    public const int MaxReasonLength = 500;

    public static Deactivation Create(string? reason, string adminSubject, DateTimeOffset now)
    {
        var text = Text.Clean(reason);
        return text is { Length: <= MaxReasonLength }
            ? new Deactivation(text, now, adminSubject)
            : throw RegistryErrors.Invalid(RegistryErrors.InvalidDeactivationReason, "A deactivation needs a reason.",
                $"reason is required (at most {MaxReasonLength} characters); it is shown to everyone who reads the entry.");
    }
}

/// <summary>Which entries a search returns: active ones unless asked otherwise.</summary>
public enum StatusFilter
{
    Active,
    Deactivated,
    All,
}

public static class StatusFilters
{
    /// <summary>The <c>status</c> query parameter: <c>active</c> (the default), <c>deactivated</c> or <c>all</c>.</summary>
    public static StatusFilter Parse(string? status) =>
        status?.ToLowerInvariant() switch
        {
            null or "active" => StatusFilter.Active,
            "deactivated" => StatusFilter.Deactivated,
            "all" => StatusFilter.All,
            _ => throw RegistryErrors.Invalid(RegistryErrors.InvalidSearch, "The search is not valid.",
                "status must be active, deactivated or all."),
        };
}

namespace Ndhm.Triggers.Http;

/// <summary>
/// The analytics dashboard's session cookie (<see cref="WebApp.AnalyticsSessionCookies"/>) may stand in for the bearer
/// token on this endpoint. Only the aggregate query carries it: an analytics official signed in to the dashboard
/// reaches nothing else with the cookie, even endpoints the ANALYTICS role may otherwise call.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class AnalyticsWebSessionAttribute : Attribute;

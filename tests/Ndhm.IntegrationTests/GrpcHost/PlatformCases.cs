namespace Ndhm.IntegrationTests.GrpcHost;

/// <summary>
/// The platform cases every host must answer alike: authentication and roles, problem+json shapes and codes,
/// request ids, body limits, route values reaching the function, and one call per capability (past the gate into
/// the capability's own service and store: probe ids it does not know, so the answer is deterministic).
/// </summary>
public static class PlatformCases
{
    private const string Probe = "probe-value";
    private static readonly string OverOneMegabyte = "{\"name\":\"" + new string('a', 1_100_000) + "\"}";

    public static readonly IReadOnlyList<PlatformCase> All =
    [
        // Authentication and roles.
        new("open endpoint, anonymous", HttpMethod.Get, "api/health", 200),
        new("protected endpoint, no token", HttpMethod.Get, "api/v1/partners", 401, "UNAUTHENTICATED"),
        new("protected endpoint, token no host issued", HttpMethod.Get, "api/v1/partners", 401, "INVALID_TOKEN") { RawToken = PlatformCase.BadToken },
        new("protected endpoint, wrong role", HttpMethod.Get, "api/v1/partners", 403, "FORBIDDEN") { Roles = ["HIP"] },
        new("protected endpoint, right role", HttpMethod.Get, "api/v1/partners", 200) { Roles = ["PLATFORM_ADMIN"] },

        // Request ids: a caller's UUID is echoed (asserted for every case: one is sent with each request).
        new("request id echoed on a refusal", HttpMethod.Get, "api/v1/partners", 401, "UNAUTHENTICATED") { RequestId = "5f0c2f9e-3a55-4c1b-9a53-52f3a1f0d3c1" },

        // Bodies: malformed, wrong media type, over the limit.
        new("malformed JSON", HttpMethod.Post, "api/v1/sessions", 400, "MALFORMED_JSON") { Body = PlatformCase.Json("{\"clientId\":") },
        new("wrong content type", HttpMethod.Post, "api/v1/sessions", 415, "UNSUPPORTED_MEDIA_TYPE") { Body = PlatformCase.Raw("clientId=x", "application/x-www-form-urlencoded") },
        new("body over the limit", HttpMethod.Post, "api/v1/sessions", 413, "PAYLOAD_TOO_LARGE") { Body = PlatformCase.Json(OverOneMegabyte) },

        // Unknown route: the router's bodiless 404 on both.
        new("unknown route", HttpMethod.Get, "api/v1/no-such-endpoint", 404),

        // One call per capability.
        new("registry: facility search", HttpMethod.Get, "api/v1/facilities?name=nowhere-" + Probe, 200) { Roles = ["HIU"] },
        new("registry: unknown professional", HttpMethod.Get, "api/v1/professionals/71-2345-6789-0123", 404, "PROFESSIONAL_NOT_FOUND") { Roles = ["HIU"] },
        new("health id: verify an unknown ABHA (route value)", HttpMethod.Get, "api/v3/verification/abha/91-0000-0000-0000", 404, "NOT_FOUND") { Roles = ["HIP"] },
        new("gateway: own deliveries", HttpMethod.Get, "api/v1/deliveries", 200) { Roles = ["HIP"] },
        new("partners: unknown partner", HttpMethod.Get, $"api/v1/partners/{Probe}", 404, "PARTNER_NOT_FOUND") { Roles = ["PLATFORM_ADMIN"] },
        new("audit: digest verification", HttpMethod.Get, "api/v1/admin/audit/digest/verify", 200) { Roles = ["PLATFORM_ADMIN"] },
        new("consent: my consents", HttpMethod.Get, "api/v1/patients/me/consents", 200) { Roles = ["PATIENT"] },
        new("linking: my links", HttpMethod.Get, "api/v1/patients/me/links", 200) { Roles = ["PATIENT"] },
        new("phr: my health records", HttpMethod.Get, "api/v1/patients/me/health-records", 200) { Roles = ["PATIENT"] },
        new("data transfer: unknown transaction", HttpMethod.Get, $"api/v1/health-information/transactions/{Probe}", 404, "TRANSACTION_NOT_FOUND") { Roles = ["HIU"] },
        new("pharmacy: unknown order", HttpMethod.Get, $"api/v1/pharmacy/orders/{Probe}", 404, "ORDER_NOT_FOUND") { Roles = ["PHARMACY"] },
        new("telemedicine: unknown consultation", HttpMethod.Get, $"api/v1/telemedicine/consultations/{Probe}", 404, "APPOINTMENT_NOT_FOUND") { Roles = ["PATIENT"] },
        new("operations: poison pharmacy orders", HttpMethod.Get, "api/v1/operations/pharmacy-orders/poison", 200) { Roles = ["PLATFORM_ADMIN"] },
        new("platform: OpenID configuration", HttpMethod.Get, "api/.well-known/openid-configuration", 200),
    ];
}

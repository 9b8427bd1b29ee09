namespace Ndhm.Gateway.Partners;

/// <summary>Where partners are administered: in the sandbox a bridge may be plain http on localhost.</summary>
public sealed record PartnerPolicy(bool IsSandbox);

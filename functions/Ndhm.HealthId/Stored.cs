namespace Ndhm.HealthId;

/// <summary>A document as read from its store, with the ETag to send back as If-Match when replacing it.</summary>
public sealed record Stored<T>(T Document, string ETag);

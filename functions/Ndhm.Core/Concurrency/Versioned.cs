namespace Ndhm.Core.Concurrency;

/// <summary>A stored aggregate with the ETag its next update must match.</summary>
public sealed record Versioned<T>(T Value, string ETag);

using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Ndhm.Privacy;

/// <summary>
/// Whose data a data key protects, e.g. <c>patient:91-1234-5678-9012</c> or <c>professional:71-...</c>. One data key
/// per scope: destroying it (crypto-shredding) makes everything encrypted for that subject unreadable at once.
/// </summary>
public readonly partial record struct DataKeyScope
{
    private DataKeyScope(string kind, string subject)
    {
        Kind = kind;
        Subject = subject;
    }

    public string Kind { get; }

    public string Subject { get; }

    /// <summary><c>kind:subject</c>; the data key record's id and partition key.</summary>
    public string Value => Kind + ":" + Subject;

    public override string ToString() => Value;

    public static DataKeyScope Patient(string abhaNumber) => Create("patient", abhaNumber);

    public static DataKeyScope Professional(string hprId) => Create("professional", hprId);

    public static DataKeyScope Partner(string clientId) => Create("partner", clientId);

    /// <summary>A scope of <paramref name="kind"/> (lower-case letters) for <paramref name="subject"/> (letters, digits, <c>.-_@</c>).</summary>
    public static DataKeyScope Create(string kind, string subject) =>
        TryCreate(kind, subject, out var scope)
            ? scope
            : throw new ArgumentException($"'{kind}' / subject is not a valid data key scope (kind: a-z, subject: 1-64 of A-Z a-z 0-9 . - _ @).");

    public static bool TryCreate(string? kind, string? subject, out DataKeyScope scope)
    {
        scope = default;
        if (kind is null || subject is null || !KindPattern().IsMatch(kind) || !SubjectPattern().IsMatch(subject)) return false;
        scope = new DataKeyScope(kind, subject);
        return true;
    }

    public static bool TryParse(string? value, [NotNullWhen(true)] out DataKeyScope? scope)
    {
        scope = null;
        var colon = value?.IndexOf(':') ?? -1;
        if (colon <= 0 || !TryCreate(value![..colon], value[(colon + 1)..], out var parsed)) return false;
        scope = parsed;
        return true;
    }

    [GeneratedRegex("^[a-z]{1,32}$")]
    private static partial Regex KindPattern();

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,64}$")]
    private static partial Regex SubjectPattern();
}

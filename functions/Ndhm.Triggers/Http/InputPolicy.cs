using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.Core.Text;

namespace Ndhm.Triggers.Http;

/// <summary>
/// The input policy every JSON request body passes after it is read, whatever the endpoint: each text value is put
/// in NFC and checked by <see cref="TextPolicy"/> (no control or bidi-control characters; at most
/// <see cref="TextPolicy.DefaultMaxLength"/> characters unless the property says otherwise with <c>[MaxLength]</c>),
/// and each array holds at most <see cref="TextPolicy.DefaultMaxItems"/> entries unless <c>[MaxLength]</c> says
/// otherwise. Field-specific grammar (an ABHA number, a PIN code) stays with the domain; this is the floor.
/// </summary>
public static class InputPolicy
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<Member>> Members = new();

    public static void Apply(object body) => Visit(body, "", depth: 0);

    private static void Visit(object value, string path, int depth)
    {
        if (depth > 32)
        {
            throw new DomainException(ErrorKind.Validation, ErrorCodes.InvalidRequest, "The request body is nested too deeply.");
        }

        foreach (var member in MembersOf(value.GetType()))
        {
            var field = path.Length == 0 ? member.JsonName : path + "." + member.JsonName;
            var current = member.Property.GetValue(value);
            switch (current)
            {
                case null:
                    break;
                case string text:
                    var normalized = TextPolicy.Normalize(text, field, member.MaxLength ?? TextPolicy.DefaultMaxLength);
                    if (normalized != text && member.Property.CanWrite)
                    {
                        member.Property.SetValue(value, normalized);
                    }

                    break;
                default:
                    VisitValue(current, field, member.MaxLength, depth);
                    break;
            }
        }
    }

    private static void VisitValue(object current, string field, int? maxLength, int depth)
    {
        switch (current)
        {
            case IDictionary dictionary:
                EnsureCount(dictionary.Count, field, maxLength);
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (entry.Key is string key) TextPolicy.Normalize(key, field);
                    if (entry.Value is string text) TextPolicy.Normalize(text, $"{field}.{entry.Key}");
                    else if (entry.Value is not null) VisitValue(entry.Value, $"{field}.{entry.Key}", null, depth + 1);
                }

                break;
            case IList list:
                EnsureCount(list.Count, field, maxLength);
                for (var i = 0; i < list.Count; i++)
                {
                    var item = list[i];
                    if (item is string text)
                    {
                        var normalized = TextPolicy.Normalize(text, $"{field}[{i}]");
                        if (normalized != text && !list.IsReadOnly) list[i] = normalized;
                    }
                    else if (item is not null && IsContract(item.GetType()))
                    {
                        Visit(item, $"{field}[{i}]", depth + 1);
                    }
                }

                break;
            case IEnumerable sequence and not string:
                var count = 0;
                foreach (var item in sequence)
                {
                    count++;
                    if (item is string text) TextPolicy.Normalize(text, $"{field}[{count - 1}]");
                    else if (item is not null && IsContract(item.GetType())) Visit(item, $"{field}[{count - 1}]", depth + 1);
                }

                EnsureCount(count, field, maxLength);
                break;
            default:
                if (IsContract(current.GetType()))
                {
                    Visit(current, field, depth + 1);
                }

                break;
        }
    }

    private static void EnsureCount(int count, string field, int? maxLength)
    {
        var max = maxLength ?? TextPolicy.DefaultMaxItems;
        if (count > max)
        {
            throw new DomainException(ErrorKind.Validation, ErrorCodes.TooManyItems, $"{field} has too many entries.",
                $"At most {max} are accepted.", new Dictionary<string, object?> { ["field"] = field });
        }
    }

    /// <summary>Request contracts are the platform's own classes; framework values (Uri, JsonElement, dates) are left alone.</summary>
    private static bool IsContract(Type type) =>
        type is { IsClass: true } && type.Namespace?.StartsWith("Ndhm.", StringComparison.Ordinal) == true;

    private static IReadOnlyList<Member> MembersOf(Type type) => Members.GetOrAdd(type, static t =>
    {
        var constructorParameters = t.GetConstructors()
            .SelectMany(c => c.GetParameters())
            .Where(p => p.Name is not null)
            .GroupBy(p => p.Name!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(p =>
            {
                constructorParameters.TryGetValue(p.Name, out var parameter);
                var max = p.GetCustomAttribute<MaxLengthAttribute>() ?? parameter?.GetCustomAttribute<MaxLengthAttribute>();
                var name = p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
                    ?? NdhmJson.Options.PropertyNamingPolicy?.ConvertName(p.Name) ?? p.Name;
                return new Member(p, name, max?.Length);
            })
            .ToList();
    });

    private sealed record Member(PropertyInfo Property, string JsonName, int? MaxLength);
}

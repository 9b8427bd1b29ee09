using System.Text.RegularExpressions;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;

namespace Ndhm.Fhir.Validation;

/// <summary>Turns Firely's findings into <see cref="FhirValidationIssue"/>s, applying the project's leniencies.</summary>
internal static partial class IssueMapping
{
    /// <summary>
    /// Downgrades to warnings what must not make a clinical document unacceptable: narrative XHTML findings
    /// (the narrative is for humans, and the IG's own examples fail a strict XHTML check) and terminology checks
    /// the offline terminology service cannot decide (SNOMED CT / LOINC value sets it cannot expand).
    /// </summary>
    public static IssueAssertion? Soften(IssueAssertion issue)
    {
        if (issue.Severity is not (OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal))
        {
            return issue;
        }

        return IsNarrative(issue.Location, issue.Message) || IsUndecidableTerminology(issue.Message)
            ? issue.WithSeverity(OperationOutcome.IssueSeverity.Warning)
            : issue;
    }

    public static IEnumerable<FhirValidationIssue> FromOutcome(OperationOutcome outcome)
    {
        foreach (var issue in outcome.Issue)
        {
            var message = issue.Details?.Text ?? issue.Diagnostics ?? "(no message)";
            var expression = issue.Expression.FirstOrDefault() ?? issue.Location.FirstOrDefault();
            var number = issue.Details?.Coding.FirstOrDefault()?.Code;
            var severity = issue.Severity switch
            {
                OperationOutcome.IssueSeverity.Fatal => FhirIssueSeverity.Fatal,
                OperationOutcome.IssueSeverity.Error => FhirIssueSeverity.Error,
                OperationOutcome.IssueSeverity.Warning => FhirIssueSeverity.Warning,
                _ => FhirIssueSeverity.Information,
            };

            // Safety net for findings that reach the outcome without passing the transformer.
            if (severity >= FhirIssueSeverity.Error && (IsNarrative(expression, message) || IsUndecidableTerminology(message)))
            {
                severity = FhirIssueSeverity.Warning;
            }

            yield return new FhirValidationIssue(severity,
                Hl7.Fhir.Utility.EnumUtility.GetLiteral(issue.Code) ?? "processing",
                message, expression, number is null ? "firely" : $"firely-{number}");
        }
    }

    public static IReadOnlyList<FhirValidationIssue> Deduplicate(IEnumerable<FhirValidationIssue> issues) =>
        issues.Distinct().OrderByDescending(i => i.Severity).ToList();

    // Firely writes locations with an index on every step (Bundle.entry[3].resource[0].text[0].div[0]).
    private static bool IsNarrative(string? location, string message)
    {
        if (location is not null)
        {
            var plain = Indices().Replace(location, "");
            if (plain.EndsWith(".text.div", StringComparison.Ordinal) || plain.Contains(".text.div.", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return message.Contains("xhtml", StringComparison.OrdinalIgnoreCase)
               || message.Contains("narrative", StringComparison.OrdinalIgnoreCase);
    }

    // The offline service could not decide (a SNOMED CT / LOINC value set it cannot expand): not a finding about
    // the data. A code that is decidably outside a value set ("does not exist in the value set") stays an error.
    private static bool IsUndecidableTerminology(string message) =>
        message.Contains("expan", StringComparison.OrdinalIgnoreCase)
        || message.Contains("terminology service", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex Indices();
}

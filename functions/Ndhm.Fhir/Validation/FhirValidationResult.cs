using Hl7.Fhir.Model;

namespace Ndhm.Fhir.Validation;

/// <summary>Severity of one finding, as in FHIR's OperationOutcome.issue.severity.</summary>
public enum FhirIssueSeverity
{
    Information,
    Warning,
    Error,
    Fatal,
}

/// <summary>
/// One finding, shaped like an OperationOutcome issue: <paramref name="Code"/> is the FHIR issue-type code
/// (<c>structure</c>, <c>required</c>, <c>code-invalid</c>, <c>not-found</c>, <c>invariant</c>, ...),
/// <paramref name="Expression"/> a FHIRPath location such as <c>Bundle.entry[0].resource</c>, and
/// <paramref name="Rule"/> a stable name for project rules (<c>abdm-composition-first</c>, ...) or the
/// validator's issue number (<c>firely-1012</c>) for profile findings.
/// </summary>
public sealed record FhirValidationIssue(
    FhirIssueSeverity Severity,
    string Code,
    string Message,
    string? Expression,
    string Rule)
{
    public bool IsError => Severity is FhirIssueSeverity.Error or FhirIssueSeverity.Fatal;

    public override string ToString() =>
        $"{Severity.ToString().ToLowerInvariant()} [{Rule}] {Expression ?? "(bundle)"}: {Message}";
}

/// <summary>The outcome of validating one document bundle.</summary>
public sealed class FhirValidationResult
{
    public FhirValidationResult(IReadOnlyList<FhirValidationIssue> issues, TimeSpan elapsed)
    {
        Issues = issues;
        Elapsed = elapsed;
    }

    public IReadOnlyList<FhirValidationIssue> Issues { get; }

    /// <summary>Wall time of this validation (includes waiting for a validator slot).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>True when no issue is an error or fatal; warnings do not make a bundle invalid.</summary>
    public bool IsValid => !Issues.Any(i => i.IsError);

    public IEnumerable<FhirValidationIssue> Errors => Issues.Where(i => i.IsError);

    public IEnumerable<FhirValidationIssue> Warnings => Issues.Where(i => i.Severity == FhirIssueSeverity.Warning);

    /// <summary>The same findings as a FHIR OperationOutcome (what a FHIR endpoint would return).</summary>
    public OperationOutcome ToOperationOutcome()
    {
        var outcome = new OperationOutcome();
        foreach (var issue in Issues)
        {
            outcome.Issue.Add(new OperationOutcome.IssueComponent
            {
                Severity = issue.Severity switch
                {
                    FhirIssueSeverity.Fatal => OperationOutcome.IssueSeverity.Fatal,
                    FhirIssueSeverity.Error => OperationOutcome.IssueSeverity.Error,
                    FhirIssueSeverity.Warning => OperationOutcome.IssueSeverity.Warning,
                    _ => OperationOutcome.IssueSeverity.Information,
                },
                Code = Hl7.Fhir.Utility.EnumUtility.ParseLiteral<OperationOutcome.IssueType>(issue.Code)
                       ?? OperationOutcome.IssueType.Processing,
                Details = new CodeableConcept("urn:ndhm:fhir:validation-rule", issue.Rule, issue.Message),
                Diagnostics = issue.Message,
                Expression = issue.Expression is null ? [] : [issue.Expression],
            });
        }

        if (outcome.Issue.Count == 0)
        {
            outcome.Issue.Add(new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Information,
                Code = OperationOutcome.IssueType.Informational,
                Diagnostics = "All OK",
            });
        }

        return outcome;
    }
}

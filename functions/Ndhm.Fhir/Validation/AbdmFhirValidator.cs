using System.Collections.Concurrent;
using System.Diagnostics;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Ndhm.Core.Errors;
using Ndhm.Fhir.Definitions;
using Ndhm.Fhir.Ig;
using Firely.Fhir.Validation.Compilation;

namespace Ndhm.Fhir.Validation;

/// <summary>Where the validator's conformance resources come from.</summary>
public enum FhirDefinitions
{
    /// <summary>
    /// The compact definitions shipped in the assembly (<see cref="CompactDefinitionSource"/>): a cold start of about
    /// a second. Core definitions outside the set come from the full specification, opened only if one is needed.
    /// </summary>
    Compact,

    /// <summary>The embedded IG plus the whole <c>specification.zip</c>, scanned at start-up (several seconds).</summary>
    FullSpecification,
}

/// <summary>Where the validator finds the FHIR R4 core definitions and how many validations may run at once.</summary>
public sealed record AbdmFhirValidatorOptions
{
    /// <summary>Compact (default) or the full specification; both give the same findings.</summary>
    public FhirDefinitions Definitions { get; init; } = FhirDefinitions.Compact;

    /// <summary>Path of the core <c>specification.zip</c>; default: the one beside this assembly.</summary>
    public string? SpecificationZipPath { get; init; }

    /// <summary>
    /// Where the zip is unpacked (~60 MB, once per machine); default: a folder under the temp path named for the
    /// zip's size and date, so a newer SDK never reads an older cache.
    /// </summary>
    public string? CacheDirectory { get; init; }

    /// <summary>
    /// Validators kept warm. Firely's validator is not thread-safe, so each concurrent validation needs its own;
    /// each costs a cold start and ~100 MB of compiled schemas. 1 serializes callers (right for a Functions worker).
    /// </summary>
    public int PoolSize { get; init; } = 1;
}

/// <summary>Validates ABDM FHIR document bundles. Implementations are thread-safe and meant to live per process.</summary>
public interface IFhirDocumentValidator
{
    /// <summary>Loads the core definitions and compiles the IG profiles so the first real call is fast.</summary>
    Task WarmUpAsync(CancellationToken cancellationToken = default);

    /// <summary>Validates a bundle (IG profiles + project rules).</summary>
    Task<FhirValidationResult> ValidateAsync(Bundle bundle, CancellationToken cancellationToken = default);

    /// <summary>Parses FHIR JSON and validates it; unreadable input is a fatal issue, not an exception.</summary>
    Task<FhirValidationResult> ValidateJsonAsync(string json, CancellationToken cancellationToken = default);
}

/// <summary>
/// Firely validator over the embedded NRCeS ABDM IG 2.0.1 plus the FHIR R4 core spec, with the project's
/// document rules (<see cref="DocumentRules"/>) on top.
/// <para>
/// Resolution: <c>CachedResolver(CompactDefinitionSource)</c> by default (the IG and the core definitions ABDM
/// documents need, precomputed and embedded; anything else in core falls back to <c>specification.zip</c>), or
/// <c>CachedResolver(MultiResolver(EmbeddedIgSource, ZipSource(specification.zip)))</c> with
/// <see cref="FhirDefinitions.FullSpecification"/>. Compiled element schemas are cached once per validator
/// service and shared by its pool. No SnapshotSource: the IG ships snapshots. Terminology:
/// <c>LocalTerminologyService</c> for core value sets, offline; value sets it cannot expand (SNOMED CT, LOINC)
/// become warnings. Narrative XHTML findings are warnings (a health exchange must not refuse clinical data for
/// its human-readable rendering); unknown non-modifier extensions are warnings, as FHIR says.
/// </para>
/// <para>
/// Concurrency: Firely's <see cref="Validator"/> is not thread-safe. This service keeps a small pool of
/// validators (<see cref="AbdmFhirValidatorOptions.PoolSize"/>) behind a semaphore; callers wait for a free one.
/// </para>
/// </summary>
public sealed class AbdmFhirValidator : IFhirDocumentValidator, IDisposable
{
    private static readonly Lazy<AbdmFhirValidator> s_shared = new(() => new AbdmFhirValidator(new()));

    private readonly AbdmFhirValidatorOptions _options;
    private readonly string _zipPath;
    private readonly string _cacheDirectory;
    private readonly Lazy<IAsyncResourceResolver> _resolver;
    private readonly Lazy<IElementSchemaResolver> _schemas;
    private CompactDefinitionSource? _compact;
    private readonly SemaphoreSlim _gate;
    private readonly ConcurrentBag<Validator> _idle = [];
    private int _created;

    public AbdmFhirValidator(AbdmFhirValidatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PoolSize, 1);
        _options = options;
        _zipPath = options.SpecificationZipPath ?? CoreSpecification.DefaultZipPath;
        if (options.Definitions == FhirDefinitions.FullSpecification && !File.Exists(_zipPath))
        {
            throw new DomainException(ErrorKind.DependencyUnavailable, ErrorCodes.DependencyUnavailable,
                "FHIR core definitions are missing",
                "specification.zip (package Hl7.Fhir.Specification.Data.R4) was not found beside the application");
        }

        _cacheDirectory = options.CacheDirectory ?? CoreSpecification.DefaultCacheDirectory(_zipPath);
        _resolver = new(CreateResolver, LazyThreadSafetyMode.ExecutionAndPublication);
        // One compiled-schema cache for the whole pool (what Validator builds for itself when given none).
#pragma warning disable ExperimentalApi
        _schemas = new(() => StructureDefinitionToElementSchemaResolver.CreatedCached(_resolver.Value),
#pragma warning restore ExperimentalApi
            LazyThreadSafetyMode.ExecutionAndPublication);
        _gate = new SemaphoreSlim(options.PoolSize, options.PoolSize);
    }

    /// <summary>The process-wide instance with default options (pool of one).</summary>
    public static AbdmFhirValidator Shared => s_shared.Value;

    /// <summary>Time the first validator took to become ready (load + compile + first validation), once warmed.</summary>
    public TimeSpan? ColdStart { get; private set; }

    /// <summary>Validators built so far (at most <see cref="AbdmFhirValidatorOptions.PoolSize"/>).</summary>
    public int ValidatorsCreated => Volatile.Read(ref _created);

    /// <summary>Lookups the compact definitions passed to the full specification (0 unless a rare core type was needed).</summary>
    public int FullSpecificationFallbacks => _compact?.FallbackResolutions ?? 0;

    /// <summary>The definitions this instance validates with.</summary>
    public FhirDefinitions Definitions => _options.Definitions;

    public async Task WarmUpAsync(CancellationToken cancellationToken = default)
    {
        // Warm every slot of the pool: a cold slot would cost its first caller seconds. Holding all slots while
        // warming keeps callers from racing the warm-up for a half-built validator.
        var held = 0;
        var warmed = new List<Validator>();
        try
        {
            for (var i = 0; i < _options.PoolSize; i++)
            {
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                held++;
                warmed.Add(await System.Threading.Tasks.Task.Run(() => Rent(warm: true), cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            foreach (var v in warmed)
            {
                _idle.Add(v);
            }

            if (held > 0)
            {
                _gate.Release(held);
            }
        }
    }

    public async Task<FhirValidationResult> ValidateAsync(Bundle bundle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var clock = Stopwatch.StartNew();
        var issues = new List<FhirValidationIssue>();
        issues.AddRange(DocumentRules.Check(bundle));

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        Validator? validator = null;
        try
        {
            validator = Rent(warm: false);
            var outcome = validator.Validate(bundle);
            issues.AddRange(IssueMapping.FromOutcome(outcome));
        }
        finally
        {
            if (validator is not null)
            {
                _idle.Add(validator);
            }

            _gate.Release();
        }

        return new FhirValidationResult(IssueMapping.Deduplicate(issues), clock.Elapsed);
    }

    public Task<FhirValidationResult> ValidateJsonAsync(string json, CancellationToken cancellationToken = default)
    {
        Bundle bundle;
        try
        {
            bundle = FhirJson.ParseBundle(json);
        }
        catch (DomainException e) when (e.Code == FhirErrorCodes.MalformedResource)
        {
            return System.Threading.Tasks.Task.FromResult(new FhirValidationResult(
                [new FhirValidationIssue(FhirIssueSeverity.Fatal, "structure", e.Detail ?? e.Title, null, "fhir-json")],
                TimeSpan.Zero));
        }

        return ValidateAsync(bundle, cancellationToken);
    }

    public void Dispose() => _gate.Dispose();

    // Caller holds a gate slot, so there is at most PoolSize validators in use or idle.
    private Validator Rent(bool warm)
    {
        if (_idle.TryTake(out var idle))
        {
            return idle;
        }

        var clock = Stopwatch.StartNew();
        var validator = Create();
        Interlocked.Increment(ref _created);
        if (warm)
        {
            // Validating a small bundle with the IG's document profile loads the core definitions and compiles the
            // Bundle, Composition, Patient and Practitioner schemas: most of the cold cost.
            validator.Validate(WarmUpBundle.Create());
            ColdStart ??= clock.Elapsed;
        }

        return validator;
    }

    private Validator Create() => CreateFirelyValidator(_resolver.Value, _schemas.Value);

    private IAsyncResourceResolver CreateResolver()
    {
        if (_options.Definitions == FhirDefinitions.FullSpecification)
        {
            return new CachedResolver(new MultiResolver(EmbeddedIgSource.Default, CoreSpecification.Open(_zipPath, _cacheDirectory)));
        }

        _compact = CompactDefinitionSource.FromAssembly(() => CoreSpecification.Open(_zipPath, _cacheDirectory));
        return new CachedResolver(_compact);
    }

    /// <summary>A Firely validator with the project's settings (terminology offline, leniencies) over <paramref name="resolver"/>.</summary>
    internal static Validator CreateFirelyValidator(IAsyncResourceResolver resolver, IElementSchemaResolver? schemas = null)
    {
        var terminology = LocalTerminologyService.CreateDefaultForCore(resolver);
        var settings = new ValidationSettings
        {
            ConformanceResourceResolver = resolver,
            // LocalTerminologyService cannot expand SNOMED CT or LOINC value sets: say so, do not fail the bundle.
            HandleValidateCodeServiceFailure = (_, _) => TerminologyServiceExceptionResult.Warning,
            TransformIssues = IssueMapping.Soften,
        };
        return new Validator(resolver, terminology, null, settings, schemas);
    }
}

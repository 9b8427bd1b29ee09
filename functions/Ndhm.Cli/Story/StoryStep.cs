namespace Ndhm.Cli.Story;

/// <summary>
/// One step of a story: an id (for the conformance kit, ABDM's test case id), a title, and what it does; it returns a
/// one-line detail. <paramref name="Needs"/>: ids of steps that must have passed for this one to run.
/// </summary>
public sealed record StoryStep(string Id, string Title, Func<CancellationToken, Task<string>> Run, IReadOnlyList<string>? Needs = null);

public enum StepStatus
{
    Passed,
    Failed,
    Skipped,
}

public sealed record StepResult(StoryStep Step, StepStatus Status, TimeSpan Elapsed, string Detail);

/// <summary>Runs steps in order; once one fails, the steps after it are skipped (<paramref name="stopAtFirstFailure"/>), or only those that need it.</summary>
public static class StoryRunner
{
    public static async Task<IReadOnlyList<StepResult>> RunAsync(IReadOnlyList<StoryStep> steps, Action<StoryStep>? started, Action<StepResult>? finished,
        bool stopAtFirstFailure, CancellationToken ct)
    {
        var results = new List<StepResult>();
        var failed = false;
        foreach (var step in steps)
        {
            var missing = (step.Needs ?? []).Where(id => !results.Any(r => r.Step.Id == id && r.Status == StepStatus.Passed)).ToList();
            if ((failed && stopAtFirstFailure) || missing.Count > 0)
            {
                var skipped = new StepResult(step, StepStatus.Skipped, TimeSpan.Zero,
                    missing.Count > 0 ? $"not run: needs {string.Join(", ", missing)}" : "not run: an earlier step failed");
                results.Add(skipped);
                finished?.Invoke(skipped);
                continue;
            }

            started?.Invoke(step);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            StepResult result;
            try
            {
                var detail = await step.Run(ct);
                result = new StepResult(step, StepStatus.Passed, clock.Elapsed, detail);
            }
            catch (Exception e) when (e is StoryException or HttpRequestException or TaskCanceledException or System.Text.Json.JsonException
                                          or InvalidOperationException or KeyNotFoundException or FormatException)
            {
                result = new StepResult(step, StepStatus.Failed, clock.Elapsed, e is StoryException ? e.Message : $"{e.GetType().Name}: {e.Message}");
                failed = true;
            }

            results.Add(result);
            finished?.Invoke(result);
        }

        return results;
    }
}

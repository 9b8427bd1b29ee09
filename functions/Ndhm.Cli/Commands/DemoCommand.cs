using System.Globalization;
using Ndhm.Cli.Story;
using Spectre.Console;

namespace Ndhm.Cli.Commands;

/// <summary>
/// <c>ndhm demo</c>: the end-to-end story (<see cref="EndToEndStory"/>) against a running sandbox and its sample
/// partners, with a live progress display, one line per step as it finishes, and a closing table of every step's
/// status and time. Exit 0 when every step passed, 1 when one failed, 2 usage error.
/// </summary>
public static class DemoCommand
{
    private const string Usage = """
        ndhm demo: the whole national flow, end to end, against a running sandbox with the sample partners

        usage: ndhm demo [--base-url http://localhost:7071] [--partners-url http://127.0.0.1:7072]
                         [--aadhaar 999900000059 --mobile 9000000005]

          --base-url       the platform (the sandbox's functions host)
          --partners-url   the sample partners process (local-emulators/Ndhm.SamplePartners)
          --aadhaar        a sandbox KYC identity to enrol (default Kiran) and --mobile its registered mobile

        local-emulators/demo.sh starts what is not running and calls this. Exit 0 all steps passed, 1 a step failed.
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length > 0 && args[0] is "--help" or "-h" or "help")
        {
            stdout.WriteLine(Usage);
            return 0;
        }

        Dictionary<string, string> options;
        try
        {
            options = CliOptions.Parse(args, ["--base-url", "--partners-url", "--aadhaar", "--mobile"]);
        }
        catch (FormatException e)
        {
            stderr.WriteLine($"ndhm demo: {e.Message}");
            stderr.WriteLine(Usage);
            return 2;
        }

        var baseUrl = new Uri(options.GetValueOrDefault("--base-url") ?? Environment.GetEnvironmentVariable("NDHM_BASE_URL") ?? "http://localhost:7071");
        var partnersUrl = new Uri(options.GetValueOrDefault("--partners-url") ?? Environment.GetEnvironmentVariable("NDHM_PARTNERS_URL") ?? "http://127.0.0.1:7072");
        var patient = options.TryGetValue("--aadhaar", out var aadhaar)
            ? new StoryPatient(aadhaar, options.GetValueOrDefault("--mobile") ?? throw new FormatException("--aadhaar needs --mobile"))
            : StoryPatient.Default;

        using var http = StoryClient.Create(baseUrl, partnersUrl);
        var story = new EndToEndStory(http, patient);
        var console = Console(stdout);
        console.Write(new Rule("[bold]NDHM end-to-end story[/]").LeftJustified());
        console.MarkupLine($"platform [blue]{Markup.Escape(baseUrl.ToString())}[/], sample partners [blue]{Markup.Escape(partnersUrl.ToString())}[/]");
        var results = RunWithProgress(console, story.Steps);
        return Summarise(console, results);
    }

    /// <summary>A console over <paramref name="writer"/> (the process's stdout or a test's writer): colours and live display only on a terminal.</summary>
    public static IAnsiConsole Console(TextWriter writer)
    {
        var terminal = ReferenceEquals(writer, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal) console.Profile.Width = 180;   // a log keeps each step on one line
        return console;
    }

    /// <param name="live">false when a step may ask on the console: a prompt cannot share the screen with the live progress bar.</param>
    public static IReadOnlyList<StepResult> RunWithProgress(IAnsiConsole console, IReadOnlyList<StoryStep> steps, bool stopAtFirstFailure = true, bool live = true)
    {
        IReadOnlyList<StepResult> results = [];
        if (!live || !console.Profile.Capabilities.Interactive)
        {
            // Not a terminal (a log, a test), or a step may prompt: the step lines alone, as each step finishes.
            return StoryRunner.RunAsync(steps, null, r => console.MarkupLine(Line(r)), stopAtFirstFailure, CancellationToken.None).GetAwaiter().GetResult();
        }

        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var overall = context.AddTask($"story: 0/{steps.Count} steps", maxValue: steps.Count);
                var index = 0;
                results = StoryRunner.RunAsync(steps,
                    step =>
                    {
                        index++;
                        overall.Description = $"story: step {index}/{steps.Count}: {Markup.Escape(step.Title)}";
                    },
                    result =>
                    {
                        overall.Increment(1);
                        console.MarkupLine(Line(result));
                    },
                    stopAtFirstFailure, CancellationToken.None).GetAwaiter().GetResult();
                overall.Description = $"story: {results.Count(r => r.Status == StepStatus.Passed)}/{steps.Count} steps passed";
            });
        return results;
    }

    public static string Line(StepResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{Mark(r.Status)} {(r.Step.Id.Contains('_', StringComparison.Ordinal) ? Markup.Escape(r.Step.Id) + " " : "")}[bold]{Markup.Escape(r.Step.Title)}[/] [grey]({Seconds(r.Elapsed)})[/] {Markup.Escape(r.Detail)}");

    private static string Mark(StepStatus status) => status switch
    {
        StepStatus.Passed => "[green]PASS[/]",
        StepStatus.Failed => "[red]FAIL[/]",
        _ => "[yellow]SKIP[/]",
    };

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    /// <summary>The closing table; the exit code (0 when every step passed, else 1).</summary>
    public static int Summarise(IAnsiConsole console, IReadOnlyList<StepResult> results, string firstColumn = "#")
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]every step[/]")
            .AddColumn(firstColumn).AddColumn("step").AddColumn("status").AddColumn(new TableColumn("time").RightAligned());
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            table.AddRow(firstColumn == "#" ? (i + 1).ToString(CultureInfo.InvariantCulture) : Markup.Escape(r.Step.Id), Markup.Escape(r.Step.Title),
                Mark(r.Status), Seconds(r.Elapsed));
        }

        var total = TimeSpan.FromTicks(results.Sum(r => r.Elapsed.Ticks));
        var passed = results.Count(r => r.Status == StepStatus.Passed);
        table.AddRow("", "[bold]total[/]", $"{passed}/{results.Count} passed", Seconds(total));
        console.Write(table);
        var ok = passed == results.Count;
        console.MarkupLine(ok ? "[green]all steps passed[/]" : $"[red]{results.Count - passed} step(s) did not pass[/]");
        return ok ? 0 : 1;
    }
}

/// <summary><c>--name value</c> options, only the known names.</summary>
internal static class CliOptions
{
    public static Dictionary<string, string> Parse(string[] args, IReadOnlyCollection<string> known)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!known.Contains(args[i])) throw new FormatException($"unknown argument '{args[i]}'");
            if (i + 1 >= args.Length) throw new FormatException($"{args[i]} needs a value");
            options[args[i]] = args[++i];
        }

        return options;
    }
}

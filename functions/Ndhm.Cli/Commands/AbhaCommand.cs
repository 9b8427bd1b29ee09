namespace Ndhm.Cli.Commands;

public static class AbhaCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        stderr.WriteLine("ndhm abha: not available yet");
        return 2;
    }
}

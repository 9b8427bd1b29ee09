namespace Ndhm.HealthId.Login;

/// <summary>
/// Makes an answer that did less work take about as long as one that did more, so response time does not tell a
/// known identifier from an unknown one. The slow path reports how long it took (<see cref="Observe"/>, a moving
/// average kept per process); the fast path waits out the difference (<see cref="PadAsync"/>). The average is
/// updated without a lock: a lost update between two racing requests only delays the average by one sample.
/// </summary>
public sealed class UniformLatency(TimeProvider time)
{
    /// <summary>Never pad by more than this, whatever a slow dependency once did.</summary>
    public static readonly TimeSpan MaxPad = TimeSpan.FromSeconds(2);

    private long averageTicks;

    public long Start() => time.GetTimestamp();

    public TimeSpan Average => TimeSpan.FromTicks(Volatile.Read(ref averageTicks));

    /// <summary>Adds the time since <paramref name="started"/> of a slow-path answer to the average.</summary>
    public void Observe(long started)
    {
        var elapsed = Math.Min(time.GetElapsedTime(started).Ticks, MaxPad.Ticks);
        var average = Volatile.Read(ref averageTicks);
        Volatile.Write(ref averageTicks, average == 0 ? elapsed : average + (elapsed - average) / 8);
    }

    /// <summary>Waits until a fast-path answer started at <paramref name="started"/> has taken the average.</summary>
    public Task PadAsync(long started, CancellationToken ct)
    {
        var wait = Average - time.GetElapsedTime(started);
        return wait > TimeSpan.Zero ? Task.Delay(wait, time, ct) : Task.CompletedTask;
    }
}

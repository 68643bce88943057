using System.Runtime.InteropServices;

namespace Ledger.Cli.Commands;

/// <summary>
/// What stops a long-running command (<c>node</c>, <c>devnet</c>, <c>signer</c>, <c>explorer</c>): SIGINT (Ctrl-C),
/// SIGTERM, or — for a service <c>ledger devnet</c> started — the devnet process going away.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;
    private readonly IDisposable? _orphaned;

    public StopSignal()
    {
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        _orphaned = ParentWatch.CancelWhenParentExits(_stop);
    }

    public CancellationToken Token => _stop.Token;

    public bool IsStopped => _stop.IsCancellationRequested;

    /// <summary>Asks for a stop from inside the program.</summary>
    public void Cancel() => _stop.Cancel();

    /// <summary>Blocks until a stop is asked for.</summary>
    public void Wait() => _stop.Token.WaitHandle.WaitOne();

    /// <summary>Blocks until a stop is asked for or the timeout passes; true when stopped.</summary>
    public bool Wait(TimeSpan timeout) => _stop.Token.WaitHandle.WaitOne(timeout);

    public void Dispose()
    {
        _orphaned?.Dispose();
        _sigint.Dispose();
        _sigterm.Dispose();
        _stop.Dispose();
    }

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        _stop.Cancel();
    }
}

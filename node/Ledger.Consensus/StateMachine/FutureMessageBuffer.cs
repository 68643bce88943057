using Ledger.Consensus.Messages;
using Ledger.Core;

namespace Ledger.Consensus.StateMachine;

/// <summary>Authenticated messages for heights not reached yet, in arrival order, at most a fixed number per validator.</summary>
internal sealed class FutureMessageBuffer
{
    private readonly List<SignedMessage> _messages = [];
    private readonly Dictionary<Hash32, int> _perValidator = [];
    private readonly int _limitPerValidator;

    public FutureMessageBuffer(int limitPerValidator) => _limitPerValidator = limitPerValidator;

    public int Count => _messages.Count;

    public bool Add(SignedMessage message)
    {
        var count = _perValidator.GetValueOrDefault(message.Signer);
        if (count >= _limitPerValidator) return false;
        _perValidator[message.Signer] = count + 1;
        _messages.Add(message);
        return true;
    }

    /// <summary>Removes everything up to <paramref name="height"/> and returns the messages for exactly that height.</summary>
    public List<SignedMessage> TakeFor(ulong height)
    {
        var taken = _messages.Where(m => m.Height <= height).ToList();
        if (taken.Count == 0) return taken;
        _messages.RemoveAll(m => m.Height <= height);
        foreach (var m in taken) _perValidator[m.Signer]--;
        return taken.Where(m => m.Height == height).ToList();
    }
}

using Ledger.Consensus.Messages;
using Ledger.Core;

namespace Ledger.Network.Tests;

internal static class TestMessages
{
    /// <summary>A well-formed PREPARE; the network only carries its bytes, so the signature need not verify.</summary>
    public static SignedMessage Prepare(Hash32 signer, ulong height, uint round = 0)
    {
        var digest = new byte[32];
        BitConverter.TryWriteBytes(digest, height);
        var payload = new ConsensusPayload { Type = MessageType.Prepare, ChainId = TestPeer.ChainId, Height = height, Round = round, Digest = new Hash32(digest) };
        var signature = new byte[64];
        Random.Shared.NextBytes(signature);
        return new SignedMessage(new SignedPayload(payload, payload.Encode(), signer, signature));
    }

    public static async Task Eventually(Func<bool> condition, string what, double seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out after {seconds} s waiting for: {what}");
            await Task.Delay(20);
        }
    }
}

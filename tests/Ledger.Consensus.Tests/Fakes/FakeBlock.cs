using System.Security.Cryptography;
using System.Text;
using Ledger.Consensus.Messages;
using Ledger.Core;

namespace Ledger.Consensus.Tests.Fakes;

/// <summary>
/// A deterministic stand-in for a block: a few text lines (height, round, author instance, parent hash, tx ids, the
/// proposer's time in virtual ms), hashed with SHA-256. Different authors or parents give different blocks, which is
/// what lets a fork show.
/// </summary>
public sealed record FakeBlock(ulong Height, uint Round, string Author, Hash32 Parent, IReadOnlyList<string> Txs, long Time = 0)
{
    public ProposedBlock ToProposed()
    {
        var bytes = Encoding.UTF8.GetBytes($"fake-block\n{Height}\n{Round}\n{Author}\n{Parent}\n{string.Join(',', Txs)}\n{Time}");
        return new ProposedBlock(HashOf(bytes), bytes);
    }

    public static Hash32 HashOf(byte[] bytes) => new(SHA256.HashData(bytes));

    public static FakeBlock? Parse(byte[] bytes)
    {
        var lines = Encoding.UTF8.GetString(bytes).Split('\n');
        if (lines.Length != 7 || lines[0] != "fake-block") return null;
        if (!ulong.TryParse(lines[1], out var height) || !uint.TryParse(lines[2], out var round) || !Hash32.TryParse(lines[4], out var parent)
            || !long.TryParse(lines[6], out var time)) return null;
        return new FakeBlock(height, round, lines[3], parent, lines[5].Length == 0 ? [] : lines[5].Split(','), time);
    }
}

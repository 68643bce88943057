using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Transactions;

namespace Ledger.TestKit;

/// <summary>Seeded random instances of the wire formats, for round-trip and fuzz tests.</summary>
public sealed class RandomFormats(int seed)
{
    private readonly Random _random = new(seed);

    public Random Random => _random;

    public byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    public Hash32 Hash() => new(Bytes(Hash32.Size));

    public string Text(int maxLength)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_劳动合同广东省";
        var length = _random.Next(1, maxLength + 1);
        return string.Create(length, _random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = alphabet[r.Next(alphabet.Length)];
        });
    }

    private ulong Varint() => _random.Next(4) switch
    {
        0 => (ulong)_random.Next(1, 128),
        1 => (ulong)_random.NextInt64(128, 1L << 35),
        2 => ulong.MaxValue - (ulong)_random.Next(1000),
        _ => (ulong)_random.NextInt64(1, long.MaxValue),
    };

    public TxBody TxBody() => new()
    {
        ChainId = Text(20),
        Nonce = _random.Next(5) == 0 ? 0 : Varint(),
        ExpiresAt = _random.NextInt64(1, long.MaxValue),
        Submitter = Hash(),
        Endorsers = Enumerable.Range(0, _random.Next(0, 4)).Select(_ => new TxEndorser(Hash(), _random.Next(2) == 0 ? EndorsementScope.Body : EndorsementScope.Statement)).ToArray(),
        PayloadField = _random.Next(Core.Transactions.TxBody.FirstPayloadField, 64),
        Payload = Bytes(_random.Next(0, 300)),
    };

    public Endorsement Endorsement()
    {
        var withCertificate = _random.Next(2) == 0;
        return new Endorsement
        {
            Certificate = withCertificate ? Bytes(_random.Next(1, 700)) : default,
            PublicKey = withCertificate ? default : Bytes(65),
            Signature = Bytes(_random.Next(1, 73)),
            Scope = (EndorsementScope)_random.Next(2),
        };
    }

    public TxEnvelope Envelope() =>
        TxEnvelope.Create(TxBody(), Enumerable.Range(0, _random.Next(0, 4)).Select(_ => Endorsement()).ToArray());

    public ContractStatement Statement() =>
        new(Text(20), Text(30), (uint)_random.Next(1, int.MaxValue), Hash(), (ContractAction)_random.Next(1, 8), Hash());

    public BlockHeader Header() => new()
    {
        Height = _random.Next(4) == 0 ? 0 : Varint(),
        PrevHash = Hash(),
        TxRoot = Hash(),
        ReceiptsRoot = Hash(),
        StateRoot = Hash(),
        Timestamp = _random.NextInt64(0, long.MaxValue),
        Proposer = Hash(),
        Round = (uint)_random.Next(0, 50),
        ValidatorSetHash = Hash(),
        TxCount = (uint)_random.Next(0, 3) * (uint)_random.Next(0, 100_000),
    };

    public Receipt Receipt() => new()
    {
        TxId = Hash(),
        Code = (ErrorCode)_random.Next(0, 2000),
        Message = _random.Next(2) == 0 ? "" : Text(60),
        Warnings = Enumerable.Range(0, _random.Next(0, 4)).Select(_ => (ErrorCode)_random.Next(0, 2000)).ToArray(),
    };

    public CommitCertificate Commit() => new()
    {
        Height = Varint(),
        Round = (uint)_random.Next(0, 20),
        BlockHash = Hash(),
        Seals = Enumerable.Range(0, _random.Next(0, 8)).Select(_ => new CommitSeal(Hash(), Bytes(_random.Next(64, 73)))).ToArray(),
    };

    public Block Block()
    {
        var count = _random.Next(0, 6);
        return new Block
        {
            Header = Header() with { TxCount = (uint)count },
            Transactions = Enumerable.Range(0, count).Select(_ => (ReadOnlyMemory<byte>)Envelope().Encode()).ToArray(),
            Receipts = Enumerable.Range(0, count).Select(_ => Receipt()).ToArray(),
            Commit = _random.Next(3) == 0 ? null : Commit(),
        };
    }
}

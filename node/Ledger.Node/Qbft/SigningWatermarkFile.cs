using System.Buffers.Binary;
using Ledger.Consensus.Messages;
using Ledger.Consensus.Ports;
using Ledger.Consensus.Signing;
using Ledger.Core;
using Ledger.Storage;

namespace Ledger.Node.Qbft;

/// <summary>
/// The signing watermark on a <see cref="SlotFile"/> (one fsync per advance), bound to its chain by genesis's hash:
/// <c>version 1 ‖ genesis hash (32) ‖ height (8) ‖ round (4) ‖ type (1) ‖ digest (32) ‖ prepared round (4)</c>.
/// It lives beside the store, not in it: a backup does not carry it and a restore does not replace it.
/// </summary>
public sealed class SigningWatermarkFile : ISigningWatermark, IDisposable
{
    private const byte Version = 1;
    private const int PayloadBytes = 1 + 32 + 8 + 4 + 1 + 32 + 4;

    private readonly SlotFile _file;
    private readonly Hash32 _genesis;

    /// <summary>Opens (or creates) the file; one of another chain, or damaged, is refused in one line.</summary>
    public SigningWatermarkFile(string path, Hash32 genesisHash)
    {
        _genesis = genesisHash;
        _file = new SlotFile(path);
        try
        {
            Highest = Decode(_file.Read());
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    /// <summary>The watermark file's name in the data directory when the config names none.</summary>
    public const string DefaultFileName = "signing.watermark";

    public string Path => _file.Path;

    public SigningPosition? Highest { get; private set; }

    public void Advance(SigningPosition position)
    {
        Span<byte> payload = stackalloc byte[PayloadBytes];
        payload[0] = Version;
        _genesis.CopyTo(payload[1..]);
        BinaryPrimitives.WriteUInt64BigEndian(payload[33..], position.Height);
        BinaryPrimitives.WriteUInt32BigEndian(payload[41..], position.Round);
        payload[45] = (byte)position.Type;
        position.Digest.CopyTo(payload[46..]);
        BinaryPrimitives.WriteUInt32BigEndian(payload[78..], position.PreparedRound);
        _file.Write(payload);
        Highest = position;
    }

    private SigningPosition? Decode(byte[]? payload)
    {
        if (payload is null) return null;
        if (payload.Length != PayloadBytes || payload[0] != Version)
            throw new LedgerException(ErrorCode.StorageCorrupt, $"{Path}: not a signing watermark of this version");
        var genesis = new Hash32(payload.AsSpan(1, 32));
        if (genesis != _genesis)
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"{Path} is the signing watermark of another chain (genesis {genesis}); this node's genesis is {_genesis}");
        var type = payload[45];
        if (type is < (byte)MessageType.Proposal or > (byte)MessageType.RoundChange)
            throw new LedgerException(ErrorCode.StorageCorrupt, $"{Path}: message type {type}");
        return new SigningPosition(
            BinaryPrimitives.ReadUInt64BigEndian(payload.AsSpan(33)),
            BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(41)),
            (MessageType)type,
            new Hash32(payload.AsSpan(46, 32)),
            BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(78)));
    }

    public void Dispose() => _file.Dispose();
}

using System.Security.Cryptography;
using Ledger.Consensus.Ports;
using Ledger.Core;

namespace Ledger.Consensus.Validation;

/// <summary>
/// The validator keys with a memory of signatures already verified. One PREPARE reaches a validator on its own and
/// again inside every ROUND-CHANGE that carries the prepared certificate and inside the next proposal's justification:
/// with 22 validators a round change would verify the same 15 PREPAREs 21 times over. A signature is verified once;
/// later checks of the same (validator, message, signature) find it by its SHA-256 digest. Only successes are kept, and
/// the memory is bounded and cleared when the engine moves to a new height (<see cref="Forget"/>).
/// </summary>
public sealed class VerifiedSignatures(IValidatorKeys keys, ConsensusMetrics metrics, int capacity = 8192) : IValidatorKeys
{
    private readonly HashSet<Hash32> _verified = [];

    public IReadOnlyList<Hash32> ValidatorsAt(ulong height) => keys.ValidatorsAt(height);

    public bool Verify(Hash32 validator, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        var digest = Digest(validator, message, signature);
        if (_verified.Contains(digest))
        {
            metrics.CountSignatureCheckSaved();
            return true;
        }
        if (!keys.Verify(validator, message, signature)) return false;
        if (_verified.Count >= capacity) _verified.Clear();
        _verified.Add(digest);
        return true;
    }

    public void Forget() => _verified.Clear();

    private static Hash32 Digest(Hash32 validator, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> id = stackalloc byte[Hash32.Size];
        validator.CopyTo(id);
        sha.AppendData(id);
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, message.Length);
        sha.AppendData(length);
        sha.AppendData(message);
        sha.AppendData(signature);
        Span<byte> digest = stackalloc byte[32];
        sha.GetHashAndReset(digest);
        return new Hash32(digest);
    }
}

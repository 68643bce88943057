using Ledger.Consensus.Messages;
using Ledger.Consensus.Ports;
using Ledger.Core;

namespace Ledger.Consensus.Validation;

/// <summary>A quorum of distinct validators' PREPAREs for one (height, round, digest): Moniz's prepared certificate.</summary>
internal static class PreparedCertificateValidator
{
    public static ValidationResult Check(IReadOnlyList<SignedPayload> prepares, string chainId, ulong height, uint round, Hash32 digest, ValidatorView validators, IValidatorKeys keys)
    {
        var signers = new HashSet<Hash32>();
        foreach (var prepare in prepares)
        {
            var p = prepare.Payload;
            if (p.Type != MessageType.Prepare || p.Height != height || p.Round != round || p.Digest != digest)
                return Fail($"a {p.Type} for ({p.Height}, {p.Round}) in a certificate for ({height}, {round}, {digest})");
            if (!signers.Add(prepare.Signer)) return Fail($"two prepares by {prepare.Signer}");
            var auth = PayloadAuthenticator.Check(prepare, chainId, validators, keys);
            if (!auth.IsValid) return Fail(auth.Reason ?? auth.Code.ToString());
        }
        return signers.Count >= validators.Quorum
            ? ValidationResult.Valid
            : Fail($"{signers.Count} prepares, quorum is {validators.Quorum}");
    }

    private static ValidationResult Fail(string reason) => ValidationResult.Fail(ErrorCode.InvalidPreparedCertificate, reason);
}

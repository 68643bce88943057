using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Genesis;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.Explorer;

/// <summary>
/// A genesis.json the explorer trusts because it was handed over out of band (the operator's <c>--genesis</c>, or a
/// court's own copy uploaded with a proof), never because a node sent it: its root CA is what proofs must chain to.
/// <see cref="FileHash"/> (SM3 of the file's bytes) lets anyone compare it with the published genesis.
/// </summary>
public sealed class TrustAnchor
{
    private TrustAnchor(GenesisDocument genesis, Hash32 fileHash, EvidenceVerifier verifier, IReadOnlyList<ValidatorInfo> validators)
    {
        Genesis = genesis;
        FileHash = fileHash;
        Verifier = verifier;
        Validators = validators;
    }

    public GenesisDocument Genesis { get; }

    public Hash32 FileHash { get; }

    public EvidenceVerifier Verifier { get; }

    public IReadOnlyList<ValidatorInfo> Validators { get; }

    public static TrustAnchor Load(string path) => Parse(File.ReadAllBytes(path));

    /// <summary>Parses genesis.json; anything malformed (JSON, root, intermediates, validators) is a <see cref="LedgerException"/>.</summary>
    public static TrustAnchor Parse(ReadOnlySpan<byte> bytes)
    {
        string json;
        try
        {
            json = new System.Text.UTF8Encoding(false, true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new LedgerException(ErrorCode.InvalidFieldValue, "genesis: not UTF-8 text");
        }
        var genesis = GenesisDocument.FromJson(json);
        var verifier = new EvidenceVerifier(genesis);
        var validators = genesis.Validators.Select(v =>
        {
            var certificate = LedgerCertificate.FromPem(v.Certificate);
            return new ValidatorInfo(certificate.Id, v.Name, v.Division, certificate.Subject, string.IsNullOrWhiteSpace(v.Bureau) ? null : v.Bureau);
        }).ToArray();
        return new TrustAnchor(genesis, Sm3.Hash(bytes), verifier, validators);
    }
}

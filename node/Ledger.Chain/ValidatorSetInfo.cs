using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Crypto;
using Ledger.Core.Genesis;
using Ledger.Crypto.Certificates;

namespace Ledger.Chain;

/// <summary>The validator set of genesis, parsed once: certificates by id, the set hash headers carry, the quorum.</summary>
public sealed class ValidatorSetInfo
{
    public ValidatorSetInfo(GenesisDocument genesis, IHasher hasher)
    {
        Certificates = genesis.Validators.Select(v => LedgerCertificate.FromPem(v.Certificate)).ToArray();
        Names = genesis.Validators.Zip(Certificates).ToDictionary(p => p.Second.Id, p => p.First.Name);
        Pem = genesis.Validators.Select(v => v.Certificate).ToArray();
        Hash = ValidatorSet.ComputeHash(hasher, Certificates.Select(c => c.Id));
    }

    public IReadOnlyList<LedgerCertificate> Certificates { get; }

    public IReadOnlyDictionary<Hash32, string> Names { get; }

    public IReadOnlyList<string> Pem { get; }

    public Hash32 Hash { get; }

    public int Count => Certificates.Count;

    public int Quorum => ValidatorSet.Quorum(Count);

    public LedgerCertificate? Find(Hash32 certificateId) => Certificates.FirstOrDefault(c => c.Id == certificateId);
}

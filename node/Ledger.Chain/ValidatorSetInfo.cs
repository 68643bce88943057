using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Crypto;
using Ledger.Core.Genesis;
using Ledger.Core.Governance;
using Ledger.Crypto.Certificates;

namespace Ledger.Chain;

/// <summary>One validator set, parsed once: certificates by id, the set hash headers carry, the quorum.</summary>
public sealed class ValidatorSetInfo
{
    public ValidatorSetInfo(GenesisDocument genesis, IHasher hasher)
        : this(GenesisMembers(genesis), hasher)
    {
    }

    public ValidatorSetInfo(IReadOnlyList<ValidatorMember> members, IHasher hasher)
    {
        Members = members;
        Certificates = members.Select(m => LedgerCertificate.FromDer(m.Certificate.ToArray())).ToArray();
        Names = members.Zip(Certificates).ToDictionary(p => p.Second.Id, p => p.First.Name);
        Pem = Certificates.Select(c => c.ToPem()).ToArray();
        Hash = ValidatorSet.ComputeHash(hasher, Certificates.Select(c => c.Id));
    }

    /// <summary>The genesis validators as members of a set (name and certificate DER).</summary>
    public static IReadOnlyList<ValidatorMember> GenesisMembers(GenesisDocument genesis) =>
        genesis.Validators.Select(v => new ValidatorMember(v.Name, LedgerCertificate.FromPem(v.Certificate).Der.ToArray())).ToArray();

    public IReadOnlyList<ValidatorMember> Members { get; }

    public IReadOnlyList<LedgerCertificate> Certificates { get; }

    public IReadOnlyDictionary<Hash32, string> Names { get; }

    public IReadOnlyList<string> Pem { get; }

    public Hash32 Hash { get; }

    public int Count => Certificates.Count;

    public int Quorum => ValidatorSet.Quorum(Count);

    public LedgerCertificate? Find(Hash32 certificateId) => Certificates.FirstOrDefault(c => c.Id == certificateId);
}

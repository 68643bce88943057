using System.Text;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Evidence;
using Ledger.Crypto;
using Ledger.TestKit.Builders;

namespace Ledger.Client.Tests.Evidence;

/// <summary>
/// One consortium of 4 validators and a committed block of 5 contract registrations, sealed by 3 of them;
/// the proof is of the third tx, whose document is <see cref="DocumentBytes"/>.
/// </summary>
public sealed class ProofFixture
{
    public const int ProvenIndex = 2;

    private static readonly Lazy<ProofFixture> Shared = new(() => new ProofFixture());

    private ProofFixture()
    {
        Network = TestNetwork.Create(4);
        Worker = Network.Worker;
        DocumentBytes = Encoding.UTF8.GetBytes("劳动合同 — Labour contract GZ-2024-0003, signed PDF stand-in");
        Envelopes = Enumerable.Range(0, 5)
            .Select(i => TestContracts.Envelope(Network, TestContracts.Register($"GZ-2024-000{i + 1}", i == ProvenIndex ? Sm3.Hash(DocumentBytes) : null),
                Network.Integrator, Network.Employer, Worker, nonce: (ulong)i + 1))
            .ToArray();
        Block = TestBlocks.Build(Network, 7, Envelopes, sealers: [0, 1, 2]);
        Proof = TestBlocks.Proof(Network, Block, ProvenIndex);
    }

    public static ProofFixture Instance => Shared.Value;

    public TestNetwork Network { get; }
    public TestIdentity Worker { get; }
    public byte[] DocumentBytes { get; }
    public byte[][] Envelopes { get; }
    public Block Block { get; }
    public EvidenceProof Proof { get; }

    public Hash32 ProvenTxId => Sm3.Hash(Core.Transactions.TxEnvelope.Decode(Envelopes[ProvenIndex]).BodyBytes.Span);

    /// <summary>The proof with another commit certificate (same block).</summary>
    public EvidenceProof WithSeals(IReadOnlyList<CommitSeal> seals) =>
        Proof with { Commit = Convert.ToBase64String((Block.Commit! with { Seals = seals }).Encode()) };
}

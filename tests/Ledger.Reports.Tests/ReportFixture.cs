using System.Text;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Evidence;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.TestKit.Builders;

namespace Ledger.Reports.Tests;

/// <summary>A verified proof of one contract registration, its genesis, and a Guangzhou bureau that issues reports.</summary>
public sealed class ReportFixture
{
    private static readonly Lazy<ReportFixture> Shared = new(() => new ReportFixture());

    private ReportFixture()
    {
        Network = TestNetwork.Create(4);
        Worker = Network.Worker;
        Document = Encoding.UTF8.GetBytes("劳动合同 GZ-REPORT-1 (signed PDF stand-in)");
        var envelope = TestContracts.Envelope(Network, TestContracts.Register(ContractId, Sm3.Hash(Document)), Network.Integrator, Network.Employer, Worker);
        Proof = TestBlocks.Proof(Network, TestBlocks.Build(Network, 5, [envelope]), 0);
        ProofJson = Proof.ToJson();
        GenesisJson = Network.Genesis.ToJson();
        GenesisFingerprint = Sm3.Hash(Encoding.UTF8.GetBytes(GenesisJson));
        var bureau = Network.Issue("Guangzhou HRSS Bureau (reports)", Role.Bureau);
        Issuer = new ReportIssuer(bureau.Certificate, bureau.Key);
    }

    public const string ContractId = "GZ-REPORT-1";
    public static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 30, 0, TimeSpan.FromHours(8));

    public static ReportFixture Instance => Shared.Value;

    public TestNetwork Network { get; }
    public TestIdentity Worker { get; }
    public byte[] Document { get; }
    public EvidenceProof Proof { get; }
    public string ProofJson { get; }
    public string GenesisJson { get; }
    public Hash32 GenesisFingerprint { get; }
    public ReportIssuer Issuer { get; }

    public VerificationReport Report(EvidenceProof? proof = null, Stream? file = null, string? fileName = null)
    {
        var checkedProof = proof ?? Proof;
        var result = EvidenceVerifier.Verify(checkedProof, Network.Genesis, file);
        return VerificationReport.Create(checkedProof.ToJson(), result, Network.Genesis, GenesisFingerprint, Issuer, Now, fileName,
            new Uri("https://explorer.example.gov.cn"));
    }
}

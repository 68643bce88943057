using Ledger.Analytics.Facts;
using Ledger.Analytics.Indexing;
using Ledger.Client;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Contracts;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.TestKit.Builders;

namespace Ledger.Analytics.Tests;

/// <summary>
/// The indexer follows paper confirmations (protocol version 4): an employer's upload whose receipt says it awaits
/// confirmation opens no contract and concludes nothing; the confirmation does. An upload in force at once (the worker
/// signed it, a bureau attested it, or a block before version 4) opens the contract as before. Pure: no database.
/// </summary>
public class PaperConfirmationFactTests
{
    private static readonly TestNetwork Network = TestNetwork.Create(validators: 1);

    private static UploadPaperPayload Upload(string id) => new()
    {
        ContractId = id, ScanHash = Sm3.Hash(System.Text.Encoding.UTF8.GetBytes("scan " + id)), ScanFormat = DocumentFormat.Pdf,
        EmployerCreditCode = TestNetwork.EmployerCreditCode.Value, WorkerPseudonym = Network.Worker.Certificate.WorkerPseudonym!.Value,
        Terms = new ContractTerms { Type = ContractType.FixedTerm, Start = ContractDate.Create(2026, 1, 1), End = ContractDate.Create(2027, 12, 31), PlaceOfWork = "440106001001", Industry = "I6510" },
        PaperSignedOn = ContractDate.Create(2025, 12, 20),
    };

    private static Block BlockOf(ulong height, TxEnvelope envelope, params ErrorCode[] warnings) =>
        TestBlocks.Build(Network, height, [envelope.Encode()], [new Receipt { TxId = Sm3Hasher.Instance.Hash(envelope.BodyBytes.Span), Code = ErrorCode.Ok, Warnings = warnings }],
            time: DateTimeOffset.UnixEpoch.AddDays(20_500 + (int)height));

    [Test]
    public void A_pending_upload_opens_nothing_and_its_confirmation_concludes_it()
    {
        var extractor = new FactExtractor(IndexScope.Observer);
        var contracts = new Dictionary<string, ContractState>(StringComparer.Ordinal);
        var upload = new TransactionBuilder(Network.ChainId, Upload("GZ-FACT-P1")).Build(Network.Employer.Certificate, Network.Employer.Key);

        var uploaded = extractor.Extract(BlockOf(1, upload, ErrorCode.AwaitingConfirmation), contracts).Facts.Single();
        Assert.That((uploaded.Action, uploaded.Opened, uploaded.Concluded), Is.EqualTo((ContractAction.UploadPaper, false, ContractAction.Unspecified)));
        Assert.That((contracts["GZ-FACT-P1"].Status, contracts["GZ-FACT-P1"].EffectiveVersion), Is.EqualTo((ContractStatus.PendingConfirmation, 0)));

        var confirm = new TransactionBuilder(Network.ChainId, new ConfirmPaperPayload { ContractId = "GZ-FACT-P1", ScanHash = Upload("GZ-FACT-P1").ScanHash })
            .SignStatement(Network.Worker.Certificate, Network.Worker.Key)
            .Build(Network.Integrator.Certificate, Network.Integrator.Key);
        var confirmed = extractor.Extract(BlockOf(2, confirm), contracts).Facts.Single();
        Assert.That((confirmed.Action, confirmed.Opened, confirmed.Concluded, confirmed.WorkerSigned), Is.EqualTo((ContractAction.ConfirmPaper, true, ContractAction.UploadPaper, true)));
        Assert.That((contracts["GZ-FACT-P1"].Status, contracts["GZ-FACT-P1"].EffectiveVersion), Is.EqualTo((ContractStatus.Effective, 1)));
    }

    [Test]
    public void An_upload_in_force_at_once_opens_the_contract()
    {
        var extractor = new FactExtractor(IndexScope.Observer);
        var contracts = new Dictionary<string, ContractState>(StringComparer.Ordinal);
        var upload = new TransactionBuilder(Network.ChainId, Upload("GZ-FACT-P2")).SignStatement(Network.Worker.Certificate, Network.Worker.Key)
            .Build(Network.Employer.Certificate, Network.Employer.Key);
        var fact = extractor.Extract(BlockOf(1, upload), contracts).Facts.Single();
        Assert.That((fact.Opened, fact.Concluded, contracts["GZ-FACT-P2"].Status), Is.EqualTo((true, ContractAction.UploadPaper, ContractStatus.Effective)));
    }
}

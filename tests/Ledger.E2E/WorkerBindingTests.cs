using Ledger.Client;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.TestKit;
using Ledger.TestKit.Builders;
using Ledger.TestKit.Network;

namespace Ledger.E2E;

/// <summary>
/// Through a real <c>ledger node</c> process: the worker who consents is the worker the contract names. An employer
/// that signs the worker's side itself — with a Worker certificate it got for one of its own people, or with a bare key
/// it made — is refused on chain; a fresh contract for the same person cannot escape art. 19(2); the worker's ID number
/// appears in no block and no log line.
/// </summary>
public class WorkerBindingTests
{
    [Test]
    public async Task An_employer_signing_the_workers_side_itself_is_refused_and_a_fresh_contract_does_not_escape_the_probation_rule()
    {
        using var devnet = new DevnetFixture();
        using var node = LedgerProcess.Start("node", "--config", devnet.NodeConfig());
        await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(60), node);
        using var ledger = devnet.Connect();
        var employer = devnet.Employer;

        async Task<CommittedTx> SubmitAsync(IContractPayload payload, params TestParty[] statementSigners)
        {
            var builder = new TransactionBuilder(devnet.ChainId, payload);
            foreach (var signer in statementSigners.Where(s => s.Certificate is not null)) builder.SignStatement(signer.Certificate!, signer.Key);
            // The SDK offers no bare-key consent any more; a bare key's endorsement is made by hand, as an attacker would,
            // and listed in the body like any other so that only the chaincode's verdict is left to refuse it.
            var bare = statementSigners.Where(s => s.Certificate is null).Select(s => new Core.Transactions.Endorsement
            {
                PublicKey = s.Key.PublicKey.ToBytes(), Signature = s.Key.Sign(builder.StatementSigningMessage), Scope = Core.Transactions.EndorsementScope.Statement,
            }).ToList();
            var envelope = builder.Build(employer.Certificate!, employer.Key);
            if (bare.Count > 0)
            {
                List<Core.Transactions.Endorsement> statements = [.. builder.StatementEndorsements, .. bare];
                Core.Transactions.TxEndorser[] endorsers = [new(employer.Certificate!.Id, Core.Transactions.EndorsementScope.Body),
                    .. statements.Select(e => Core.Transactions.TxEndorser.Of(e, Sm3Hasher.Instance))];
                var body = ContractPayloads.CreateBody(payload, devnet.ChainId, envelope.Body.Nonce, envelope.Body.ExpiresAt, employer.Certificate.Id, endorsers).Encode();
                envelope = new Core.Transactions.TxEnvelope
                {
                    BodyBytes = body,
                    Endorsements = [new Core.Transactions.Endorsement { Certificate = employer.Certificate.Der, Signature = employer.Key.Sign(body) }, .. statements],
                };
            }
            var txId = await ledger.SubmitAsync(envelope);
            return await ledger.WaitForCommitAsync(txId, TimeSpan.FromSeconds(30));
        }

        var document = Sm3.Hash("劳动合同 GZ-BIND-1"u8);
        var terms = new ContractTerms
        {
            Type = ContractType.FixedTerm, Start = ContractDate.Create(2026, 1, 1), End = ContractDate.Create(2028, 12, 31),
            ProbationEnd = ContractDate.Create(2026, 2, 28), PlaceOfWork = TestConsortium.PlaceOfWork, Industry = "I6510",
        };
        var register = await SubmitAsync(new RegisterPayload
        {
            ContractId = "GZ-BIND-1", DocumentHash = document, DocumentFormat = DocumentFormat.Pdf, EmployerCreditCode = devnet.EmployerCreditCode.Value,
            WorkerPseudonym = devnet.WorkerPseudonym, Terms = terms,
        }, employer);
        Assert.That(register.Receipt.Code, Is.EqualTo(ErrorCode.Ok), register.Receipt.Message);
        var sign = new SignPayload { ContractId = "GZ-BIND-1", Version = 1, DocumentHash = document };

        // A genuine Worker certificate from the same city CA — but of someone the employer controls, not the named worker.
        var stooge = TestWorkers.Issue(devnet.GuangzhouCa, devnet.PseudonymKey, "440304199206200046", "the employer's own clerk");
        var byStooge = await SubmitAsync(sign, employer, stooge);
        Assert.That(byStooge.Receipt.Code, Is.EqualTo(ErrorCode.WrongWorker), byStooge.Receipt.Message);

        // A second key the employer made: a bare key carries no role, so it is no worker at all.
        using var secondKey = Sm2PrivateKey.Generate();
        var byBareKey = await SubmitAsync(sign, employer, new TestParty("second key", secondKey, null));
        Assert.That(byBareKey.Receipt.Code, Is.EqualTo(ErrorCode.NotParty), byBareKey.Receipt.Message);
        Assert.That((await ledger.GetContractAsync("GZ-BIND-1"))!.Record.Status.ToString(), Does.Contain("PendingSignature").IgnoreCase);

        // The named worker, even re-enrolled with a new key and certificate, consents.
        var reEnrolled = TestWorkers.Issue(devnet.GuangzhouCa, devnet.PseudonymKey, DevnetFixture.WorkerIdNumber);
        var byWorker = await SubmitAsync(sign, employer, reEnrolled);
        Assert.That(byWorker.Receipt.Code, Is.EqualTo(ErrorCode.Ok), byWorker.Receipt.Message);
        Assert.That((await ledger.GetContractAsync("GZ-BIND-1"))!.Record.Status.ToString(), Does.Contain("Effective").IgnoreCase.And.Not.Contain("Pending"));

        // A fresh contract for the same person at the same employer cannot agree a second probation (art. 19(2)).
        var fresh = await SubmitAsync(new RegisterPayload
        {
            ContractId = "GZ-BIND-2", DocumentHash = Sm3.Hash("劳动合同 GZ-BIND-2"u8), DocumentFormat = DocumentFormat.Pdf, EmployerCreditCode = devnet.EmployerCreditCode.Value,
            WorkerPseudonym = reEnrolled.Certificate!.WorkerPseudonym!.Value, Terms = terms with { Start = ContractDate.Create(2029, 1, 1), End = ContractDate.Create(2030, 12, 31), ProbationEnd = ContractDate.Create(2029, 2, 28) },
        }, employer);
        Assert.That(fresh.Receipt.Code, Is.EqualTo(ErrorCode.RepeatedProbation), fresh.Receipt.Message);

        // No ID number in any block or log line (hex of its ASCII included: a pseudonym is not a hash anyone can redo).
        var height = (await ledger.GetChainInfoAsync()).Height;
        var needle = Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(DevnetFixture.WorkerIdNumber));
        for (var h = 0UL; h <= height; h++)
        {
            var block = await ledger.GetBlockAsync(h);
            Assert.That(Convert.ToHexString(block!.Encode()), Does.Not.Contain(needle), $"block {h}");
        }
        Assert.That(node.Output, Does.Not.Contain(DevnetFixture.WorkerIdNumber).And.Not.Contain("440304199206200046"));
        node.Stop(TimeSpan.FromSeconds(10));
    }
}

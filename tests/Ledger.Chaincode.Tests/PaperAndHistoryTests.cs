using Ledger.Chaincode.State;
using Ledger.Chaincode.Tests.Support;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Tests;

/// <summary>The record a court reads back: every version, every action, who signed and when; paper stays paper.</summary>
public class PaperAndHistoryTests
{
    private const string Id = "GZ-2024-000001";

    [Test]
    public void A_paper_contract_a_bureau_uploads_is_in_force_at_once_and_attested_by_it()
    {
        var chain = new TestChain();
        TestChain.Expect(chain.Submit(Make.Paper(Id), Parties.GuangzhouBureau));
        var record = chain.Contract(Id);
        Assert.That((record.Status, record.EffectiveVersion, record.EvidenceGrade), Is.EqualTo((ContractStatus.Effective, 1u, EvidenceGrade.PaperScanBureauAttested)));
        Assert.That(record.AttestationReference, Is.EqualTo("GZ-ARCHIVE-2024-0001"));
        Assert.That(record.History[0].SubmitterCertificateId, Is.EqualTo(Parties.GuangzhouBureau.CertificateId));
        Assert.That(record.Latest.PaperSignedOn, Is.EqualTo(Make.Date("2024-05-20")));
    }

    [Test]
    public void A_paper_contract_stays_a_paper_scan_after_every_later_action()
    {
        var chain = new TestChain();
        TestChain.Expect(chain.Submit(Make.Paper(Id), Parties.EmployerA, Parties.Worker1));
        TestChain.Expect(chain.Submit(Make.Change(Id, 1), Parties.EmployerA));
        TestChain.Expect(chain.SignLatest(Id, Parties.EmployerA, Parties.EmployerA, Parties.Worker1));
        TestChain.Expect(chain.Submit(Make.Renew(Id, 2), Parties.EmployerA));
        TestChain.Expect(chain.SignLatest(Id, Parties.EmployerA, Parties.EmployerA, Parties.Worker1));
        // The renewed term runs to 2030-06-30: its expiry is recorded once the chain's date has reached it.
        var expiry = Make.Terminate(Id, 3, Make.Doc(Id, 3), TerminationReason.TermExpired, "2030-06-30");
        Assert.That(chain.Submit(expiry, Parties.EmployerA).Code, Is.EqualTo(ErrorCode.TermNotExpired), "in 2024, the term has not expired");
        chain.BlockTime = TestChain.At(2030, 6, 30);
        TestChain.Expect(chain.Submit(expiry, Parties.EmployerA));
        var record = chain.Contract(Id);
        Assert.That(record.EvidenceGrade, Is.EqualTo(EvidenceGrade.PaperScanWorkerConfirmed));
        Assert.That(record.Status, Is.EqualTo(ContractStatus.Terminated));
    }

    [Test]
    public void History_records_every_accepted_action_with_tx_height_time_and_signers()
    {
        var chain = new TestChain();
        chain.Register(Id);
        chain.BlockTime = TestChain.At(2024, 6, 2);
        TestChain.Expect(chain.SignLatest(Id, Parties.Integrator, Parties.EmployerA, Parties.Worker1));
        Assert.That(chain.Submit(Make.Change(Id, 1), Parties.EmployerB).Code, Is.Not.EqualTo(ErrorCode.Ok)); // refused: not in history
        TestChain.Expect(chain.Submit(Make.Change(Id, 1), Parties.EmployerA));

        var record = ContractStore.Get(chain.State, Id)!;
        Assert.That(record.History.Select(h => (h.Action, h.Version)), Is.EqualTo(new[]
        {
            (ContractAction.Register, 1u), (ContractAction.Sign, 1u), (ContractAction.Change, 2u),
        }));
        var sign = record.History[1];
        var signTx = chain.Log[1].Tx;
        Assert.That(sign.TxId, Is.EqualTo(signTx.TxId));
        Assert.That(sign.Height, Is.EqualTo(signTx.Height));
        Assert.That(sign.BlockTime, Is.EqualTo(TestChain.At(2024, 6, 2)));
        Assert.That((sign.SubmitterRole, sign.SubmitterKeyId), Is.EqualTo((Role.Integrator, Parties.Integrator.KeyId)));
        Assert.That(sign.EmployerSigner, Is.EqualTo(Parties.EmployerA.KeyId));
        Assert.That(sign.WorkerSigner, Is.EqualTo(Parties.Worker1.KeyId));
        Assert.That(record.Versions.Select(v => v.DocumentHash), Is.EqualTo(new[] { Make.Doc(Id, 1), Make.Doc(Id, 2) }), "the old version stays");
    }

    [Test]
    public void Closure_records_the_basis_and_effective_date()
    {
        var chain = new TestChain();
        chain.RegisterEffective(Id, Make.Terms(probationEnd: "2024-09-30"));
        TestChain.Expect(chain.Submit(Make.Dissolve(Id, 1, Make.Doc(Id, 1), DissolutionBasis.Art39ProbationFailed, "2024-09-30"), Parties.EmployerA));
        var record = chain.Contract(Id);
        Assert.That(record.ClosedOn, Is.EqualTo(Make.Date("2024-09-30")));
        Assert.That((DissolutionBasis)record.ClosureDetail, Is.EqualTo(DissolutionBasis.Art39ProbationFailed));
        Assert.That(record.History[^1].EffectiveDate, Is.EqualTo(20240930u));
    }

    [Test]
    public void A_stored_record_decodes_to_the_same_bytes()
    {
        var chain = new TestChain();
        chain.RegisterEffective(Id);
        chain.Submit(Make.Renew(Id, 1), Parties.EmployerA);
        var bytes = chain.State.Get(StateKeys.Contract(Id))!;
        Assert.That(ContractRecord.Decode(bytes).Encode(), Is.EqualTo(bytes));
    }

    [Test]
    public void Unknown_contract_reads_as_null() => Assert.That(ContractStore.Get(new TestChain().State, "nothing"), Is.Null);
}

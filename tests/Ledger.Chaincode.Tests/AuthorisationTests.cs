using Ledger.Chaincode.Tests.Support;
using Ledger.Core;
using Ledger.Core.Contracts;

namespace Ledger.Chaincode.Tests;

/// <summary>Who may act, from the submitter's certificate and the parties' statement signatures.</summary>
public class AuthorisationTests
{
    private const string Id = "GZ-2024-000001";

    [Test]
    public void Employer_registers_its_own_contract() =>
        Assert.That(new TestChain().Submit(Make.Register(Id), Parties.EmployerA).Code, Is.EqualTo(ErrorCode.Ok));

    [Test]
    public void Integrator_registers_with_the_employer_signature() =>
        Assert.That(new TestChain().Submit(Make.Register(Id), Parties.Integrator, Parties.EmployerA).Code, Is.EqualTo(ErrorCode.Ok));

    [Test]
    public void Integrator_with_only_the_worker_signature_cannot_register() =>
        Assert.That(new TestChain().Submit(Make.Register(Id), Parties.Integrator, Parties.Worker1).Code, Is.EqualTo(ErrorCode.MissingEmployerEndorsement));

    [Test]
    public void City_bureau_registers_inside_its_city_with_the_employer_signature() =>
        Assert.That(new TestChain().Submit(Make.Register(Id), Parties.GuangzhouBureau, Parties.EmployerA).Code, Is.EqualTo(ErrorCode.Ok));

    [Test]
    public void City_bureau_without_the_employer_signature_cannot_register() =>
        Assert.That(new TestChain().Submit(Make.Register(Id), Parties.GuangzhouBureau).Code, Is.EqualTo(ErrorCode.MissingEmployerEndorsement));

    [Test]
    public void County_bureau_acts_in_its_county_only_from_protocol_version_4()
    {
        // Tianhe's bureau (440106), for a place of work in Yuexiu (440104), another district of Guangzhou: refused now.
        var elsewhere = new TestChain().Submit(Make.Register(Id, Make.Terms(place: "440104000000")), Parties.TianheBureau, Parties.EmployerA);
        Assert.That(elsewhere.Code, Is.EqualTo(ErrorCode.OutsideJurisdiction), elsewhere.Message);
        Assert.That(elsewhere.Message, Does.Contain("440106"));
        var inTianhe = new TestChain().Submit(Make.Register(Id, Make.Terms(place: "440106000000")), Parties.TianheBureau, Parties.EmployerA);
        Assert.That(inTianhe.Code, Is.EqualTo(ErrorCode.Ok), inTianhe.Message);
        // Blocks of version 3 re-execute as they were: a county bureau governed its whole city.
        var before = new TestChain { ProtocolVersion = Ledger.Core.Governance.ProtocolVersions.V3 }
            .Submit(Make.Register(Id, Make.Terms(place: "440104000000")), Parties.TianheBureau, Parties.EmployerA);
        Assert.That(before.Code, Is.EqualTo(ErrorCode.Ok));
    }

    [TestCase(TerminationReason.WorkerDeceased, ErrorCode.Ok)]
    [TestCase(TerminationReason.EmployerBankrupt, ErrorCode.Ok)]
    [TestCase(TerminationReason.EmployerClosed, ErrorCode.Ok)]
    [TestCase(TerminationReason.PensionStarted, ErrorCode.GroundNotAttestable)]
    [TestCase(TerminationReason.OtherStatutory, ErrorCode.GroundNotAttestable)]
    public void A_bureau_alone_terminates_only_on_a_ground_it_can_attest(TerminationReason reason, ErrorCode expected)
    {
        var chain = new TestChain();
        chain.RegisterEffective(Id);
        var terminate = Make.Terminate(Id, 1, Make.Doc(Id, 1), reason);
        var alone = chain.Submit(terminate, Parties.GuangzhouBureau);
        Assert.That(alone.Code, Is.EqualTo(expected), alone.Message);
        if (expected == ErrorCode.Ok) return;
        // With the employer's signature the bureau may record it; before version 4 it could alone.
        Assert.That(chain.Submit(terminate, Parties.GuangzhouBureau, Parties.EmployerA).Code, Is.EqualTo(ErrorCode.Ok));
        var old = new TestChain { ProtocolVersion = Ledger.Core.Governance.ProtocolVersions.V3 };
        old.RegisterEffective(Id);
        Assert.That(old.Submit(terminate, Parties.GuangzhouBureau).Code, Is.EqualTo(ErrorCode.Ok));
    }

    [Test]
    public void Province_bureau_acts_everywhere_in_Guangdong()
    {
        var chain = new TestChain();
        Assert.That(chain.Submit(Make.Register("C-GZ"), Parties.ProvinceBureau, Parties.EmployerA).Code, Is.EqualTo(ErrorCode.Ok));
        Assert.That(chain.Submit(Make.Register("C-SZ", Make.Terms(place: "440305000000")), Parties.ProvinceBureau, Parties.EmployerA).Code, Is.EqualTo(ErrorCode.Ok));
    }

    [Test]
    public void City_bureau_cannot_move_a_contract_into_another_city()
    {
        var chain = new TestChain();
        chain.RegisterEffective(Id);
        var toShenzhen = Make.Change(Id, 1, Make.Terms(place: "440305000000"));
        Assert.That(chain.Submit(toShenzhen, Parties.ShenzhenBureau, Parties.EmployerA).Code, Is.EqualTo(ErrorCode.OutsideJurisdiction));
        Assert.That(chain.Submit(toShenzhen, Parties.GuangzhouBureau, Parties.EmployerA).Code, Is.EqualTo(ErrorCode.OutsideJurisdiction));
        Assert.That(chain.Submit(toShenzhen, Parties.ProvinceBureau, Parties.EmployerA).Code, Is.EqualTo(ErrorCode.Ok));
    }

    [Test]
    public void Bureau_certificate_without_a_division_has_no_jurisdiction()
    {
        var noDivision = Parties.GuangzhouBureau with { Division = null };
        Assert.That(new TestChain().Submit(Make.Register(Id), noDivision, Parties.EmployerA).Code, Is.EqualTo(ErrorCode.OutsideJurisdiction));
    }

    [Test]
    public void Employer_cannot_change_another_employers_contract()
    {
        var chain = new TestChain();
        chain.RegisterEffective(Id);
        Assert.That(chain.Submit(Make.Change(Id, 1), Parties.EmployerB).Code, Is.EqualTo(ErrorCode.NotEmployerOfRecord));
    }

    [Test]
    public void Integrator_cannot_upload_paper() =>
        Assert.That(new TestChain().Submit(Make.Paper(Id), Parties.Integrator, Parties.EmployerA).Code, Is.EqualTo(ErrorCode.SubmitterRoleNotAllowed));

    [Test]
    public void Bureau_uploads_paper_in_its_city_without_the_employer() =>
        Assert.That(new TestChain().Submit(Make.Paper(Id), Parties.GuangzhouBureau).Code, Is.EqualTo(ErrorCode.Ok));

    [Test]
    public void Worker_cannot_register() =>
        Assert.That(new TestChain().Submit(Make.Register(Id), Parties.CertifiedWorker(Parties.Worker1), Parties.EmployerA).Code, Is.EqualTo(ErrorCode.SubmitterRoleNotAllowed));

    [Test]
    public void Bureau_terminates_alone_but_an_integrator_needs_the_employer()
    {
        var chain = new TestChain();
        chain.RegisterEffective(Id);
        var terminate = Make.Terminate(Id, 1, Make.Doc(Id, 1), TerminationReason.EmployerBankrupt);
        Assert.That(chain.Submit(terminate, Parties.Integrator, Parties.Worker1).Code, Is.EqualTo(ErrorCode.MissingEmployerEndorsement));
        Assert.That(chain.Submit(terminate, Parties.GuangzhouBureau).Code, Is.EqualTo(ErrorCode.Ok));
    }

    [Test]
    public void Bureau_needs_the_employer_signature_to_change_a_contract()
    {
        var chain = new TestChain();
        chain.RegisterEffective(Id);
        Assert.That(chain.Submit(Make.Change(Id, 1), Parties.GuangzhouBureau).Code, Is.EqualTo(ErrorCode.MissingEmployerEndorsement));
    }

    [TestCase(DissolutionBasis.Art36Agreement, false, true, ErrorCode.MissingEmployerEndorsement)]
    [TestCase(DissolutionBasis.Art36Agreement, true, false, ErrorCode.MissingWorkerSignature)]
    [TestCase(DissolutionBasis.Art36Agreement, true, true, ErrorCode.Ok)]
    [TestCase(DissolutionBasis.Art38Immediate, false, true, ErrorCode.Ok)]
    [TestCase(DissolutionBasis.Art38EmployerFault, true, false, ErrorCode.MissingWorkerSignature)]
    [TestCase(DissolutionBasis.Art39SeriousViolation, false, true, ErrorCode.MissingEmployerEndorsement)]
    [TestCase(DissolutionBasis.Art40Incompetence, true, false, ErrorCode.Ok)]
    [TestCase(DissolutionBasis.Art41Layoff, true, false, ErrorCode.Ok)]
    public void Dissolution_needs_the_consent_its_basis_requires(DissolutionBasis basis, bool employerSigns, bool workerSigns, ErrorCode expected)
    {
        var chain = new TestChain();
        chain.RegisterEffective(Id);
        var signers = new List<Ledger.Core.Identity.SignerIdentity>();
        if (employerSigns) signers.Add(Parties.EmployerA);
        if (workerSigns) signers.Add(Parties.Worker1);
        // Submitted by an integrator, so only the statement signatures speak for the parties.
        var result = chain.Submit(Make.Dissolve(Id, 1, Make.Doc(Id, 1), basis), Parties.Integrator, [.. signers]);
        Assert.That(result.Code, Is.EqualTo(expected), result.Message);
    }
}

using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Crypto.Certificates;

namespace Ledger.Crypto.Tests.Certificates;

public class CertificateTests
{
    private Pki _pki = null!;

    [SetUp]
    public void SetUp() => _pki = new Pki();

    [TearDown]
    public void TearDown() => _pki.Dispose();

    [Test]
    public void Parse_round_trip_keeps_role_division_credit_code_and_key()
    {
        var key = _pki.NewKey();
        var issued = _pki.GuangzhouCa.Issue(new CertificateRequest("广州某某科技有限公司", Role.Employer, Pki.Tianhe, key.PublicKey,
            Pki.Start, Pki.Start.AddYears(3), Pki.EmployerCode));

        foreach (var parsed in new[] { LedgerCertificate.FromDer(issued.Der), LedgerCertificate.FromPem(issued.ToPem()) })
        {
            Assert.That(parsed.Role, Is.EqualTo(Role.Employer));
            Assert.That(parsed.Division, Is.EqualTo(Pki.Tianhe));
            Assert.That(parsed.CreditCode, Is.EqualTo(Pki.EmployerCode));
            Assert.That(parsed.CommonName, Is.EqualTo("广州某某科技有限公司"));
            Assert.That(parsed.PublicKey, Is.EqualTo(key.PublicKey));
            Assert.That(parsed.IsCa, Is.False);
            Assert.That(parsed.NotBefore, Is.EqualTo(Pki.Start));
            Assert.That(parsed.NotAfter, Is.EqualTo(Pki.Start.AddYears(3)));
            Assert.That(parsed.SerialNumberHex, Is.EqualTo(issued.SerialNumberHex));
            Assert.That(parsed.Id, Is.EqualTo(Sm3.Hash(issued.Der)));
            Assert.That(parsed.Subject, Does.Contain("NTRCN-" + Pki.EmployerCode.Value));
        }
    }

    [Test]
    public void Ca_certificates_carry_ca_flag_and_role()
    {
        Assert.That(_pki.Root.Certificate.IsCa, Is.True);
        Assert.That(_pki.Root.Certificate.Role, Is.EqualTo(Role.RootCa));
        Assert.That(_pki.GuangzhouCa.Certificate.Role, Is.EqualTo(Role.IntermediateCa));
        Assert.That(_pki.GuangzhouCa.Certificate.Division, Is.EqualTo(Pki.Guangzhou));
        Assert.That(_pki.GuangzhouCa.Certificate.Issuer, Is.EqualTo(_pki.Root.Certificate.Subject));
    }

    [Test]
    public void Serial_numbers_are_random_and_positive()
    {
        var serials = Enumerable.Range(0, 20).Select(_ => _pki.IssueLeaf().SerialNumberHex).ToList();
        Assert.That(serials.Distinct().Count(), Is.EqualTo(20));
        Assert.That(serials, Has.All.Length.GreaterThanOrEqualTo(16)); // 128-bit random: the top 64 bits are almost never all zero
    }

    [Test]
    public void City_ca_cannot_issue_for_another_city()
    {
        var e = Assert.Throws<LedgerException>(() => _pki.IssueLeaf(division: Pki.Shenzhen));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.InvalidDivisionCode));
        Assert.That(Assert.Throws<LedgerException>(() => _pki.IssueLeaf(division: Pki.Guangdong))!.Code, Is.EqualTo(ErrorCode.InvalidDivisionCode), "a city CA cannot issue for its province");
        Assert.That(Assert.Throws<LedgerException>(() => _pki.Root.IssueIntermediate("Beijing CA", Pki.Beijing, _pki.NewKey(), Pki.Start, Pki.Start.AddYears(1)))!.Code,
            Is.EqualTo(ErrorCode.InvalidDivisionCode), "a province root cannot create a CA for another province");
    }

    [Test]
    public void City_ca_cannot_create_further_cas()
    {
        var e = Assert.Throws<LedgerException>(() => _pki.GuangzhouCa.IssueIntermediate("Tianhe CA", Pki.Tianhe, _pki.NewKey(), Pki.Start, Pki.Start.AddYears(1)));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.WrongCertificateRole));
    }

    [Test]
    public void Employer_without_a_credit_code_is_refused()
    {
        var e = Assert.Throws<LedgerException>(() => _pki.IssueLeaf(Role.Employer));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.InvalidCreditCode));
    }

    [Test]
    public void Employer_with_an_invalid_credit_code_is_refused()
    {
        // default(CreditCode) is the only way to hold an unvalidated code; the CA must not trust it.
        var e = Assert.Throws<LedgerException>(() => _pki.IssueLeaf(Role.Employer, creditCode: default(CreditCode)));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.InvalidCreditCode));
        Assert.That(CreditCode.TryParse("91440101MA59ABCDE" + (Pki.EmployerCode.Value[17] == '0' ? '1' : '0'), out _), Is.False, "wrong check character is not a credit code");
    }

    [Test]
    public void Worker_certificate_cannot_carry_a_credit_code()
    {
        var e = Assert.Throws<LedgerException>(() => _pki.IssueLeaf(Role.Worker, creditCode: Pki.EmployerCode));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.InvalidCreditCode));
    }

    [TestCase(Role.Unknown)]
    [TestCase(Role.RootCa)]
    [TestCase(Role.IntermediateCa)]
    public void Ca_roles_cannot_be_issued_as_end_entities(Role role) =>
        Assert.That(Assert.Throws<LedgerException>(() => _pki.IssueLeaf(role))!.Code, Is.EqualTo(ErrorCode.WrongCertificateRole));

    [Test]
    public void Every_end_entity_role_round_trips()
    {
        foreach (var role in new[] { Role.Validator, Role.Bureau, Role.Integrator, Role.Arbitration, Role.Court, Role.Inspector, Role.Worker })
            Assert.That(LedgerCertificate.FromDer(_pki.IssueLeaf(role).Der).Role, Is.EqualTo(role));
    }

    [Test]
    public void Rejects_bad_validity_and_bad_names()
    {
        Assert.That(Assert.Throws<LedgerException>(() => _pki.IssueLeaf(notBefore: Pki.Start, notAfter: Pki.Start))!.Code, Is.EqualTo(ErrorCode.InvalidCertificate));
        Assert.That(Assert.Throws<LedgerException>(() => _pki.GuangzhouCa.Issue(new CertificateRequest(" ", Role.Court, Pki.Guangzhou, _pki.NewKey().PublicKey, Pki.Start, Pki.Start.AddDays(1))))!.Code,
            Is.EqualTo(ErrorCode.InvalidCertificate));
        Assert.That(Assert.Throws<LedgerException>(() => _pki.IssueLeaf(division: default(DivisionCode)))!.Code, Is.EqualTo(ErrorCode.InvalidDivisionCode));
    }

    [Test]
    public void Garbage_is_an_invalid_certificate()
    {
        foreach (var der in new[] { Array.Empty<byte>(), new byte[] { 0x30, 0x00 }, new byte[] { 0x30, 0x82, 0xff }, "not a certificate"u8.ToArray() })
            Assert.That(Assert.Throws<LedgerException>(() => LedgerCertificate.FromDer(der))!.Code, Is.EqualTo(ErrorCode.InvalidCertificate));
        Assert.That(Assert.Throws<LedgerException>(() => LedgerCertificate.FromPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"))!.Code, Is.EqualTo(ErrorCode.InvalidCertificate));
    }

    [Test]
    public void Crl_round_trips_through_pem()
    {
        var leaf = _pki.IssueLeaf();
        var crl = _pki.GuangzhouCa.IssueCrl([RevokedCertificate.Of(leaf, Pki.Start.AddDays(10))], Pki.Start.AddDays(10), Pki.Start.AddDays(17));
        var parsed = CertificateRevocationList.FromPem(crl.ToPem());
        Assert.That(parsed.TryGetRevocation(leaf.SerialNumberHex, out var at), Is.True);
        Assert.That(at, Is.EqualTo(Pki.Start.AddDays(10)));
        Assert.That(parsed.Issuer, Is.EqualTo(_pki.GuangzhouCa.Certificate.Subject));
        Assert.That(parsed.NextUpdate, Is.EqualTo(Pki.Start.AddDays(17)));
        Assert.That(Assert.Throws<LedgerException>(() => CertificateRevocationList.FromDer([0x30, 0x03, 0x02, 0x01, 0x01]))!.Code, Is.EqualTo(ErrorCode.InvalidCrl));
        Assert.That(Assert.Throws<LedgerException>(() => _pki.GuangzhouCa.IssueCrl([new RevokedCertificate("0xZZ", Pki.Start)], Pki.Start, Pki.Start.AddDays(1)))!.Code, Is.EqualTo(ErrorCode.InvalidCrl));
    }

    [Test]
    public void Ca_from_certificate_requires_the_matching_key()
    {
        var other = _pki.NewKey();
        Assert.That(Assert.Throws<LedgerException>(() => CertificateAuthority.FromCertificate(_pki.GuangzhouCa.Certificate, other))!.Code, Is.EqualTo(ErrorCode.InvalidPrivateKey));
        Assert.That(Assert.Throws<LedgerException>(() => CertificateAuthority.FromCertificate(_pki.IssueLeaf(), other))!.Code, Is.EqualTo(ErrorCode.WrongCertificateRole));
    }
}

using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Crypto.Certificates;

namespace Ledger.Crypto.Tests.Certificates;

/// <summary>A worker's pseudonym: stable for one person, unlinkable without the province's key, and the only identity a Worker certificate carries.</summary>
public class WorkerPseudonymTests
{
    private const string IdNumber = "440106199001011235";
    private static readonly byte[] ProvinceKey = Sm3.Hash("province pseudonym key"u8).ToArray();
    private Pki _pki = null!;

    [SetUp]
    public void SetUp() => _pki = new Pki();

    [TearDown]
    public void TearDown() => _pki.Dispose();

    [Test]
    public void One_person_has_one_pseudonym_and_another_key_gives_another()
    {
        var p = WorkerPseudonym.Compute(ProvinceKey, IdNumber);
        Assert.That(WorkerPseudonym.Compute(ProvinceKey, " 440106199001011235 "), Is.EqualTo(p), "the same person, however the number was typed");
        Assert.That(WorkerPseudonym.Compute(ProvinceKey, "440304199206200046"), Is.Not.EqualTo(p));
        Assert.That(WorkerPseudonym.Compute(Sm3.Hash("another province key"u8).ToArray(), IdNumber), Is.Not.EqualTo(p), "without the key, no link");
        Assert.That(p, Is.Not.EqualTo(Sm3.Hash(System.Text.Encoding.ASCII.GetBytes(IdNumber))), "not a plain hash anyone could recompute");
        Assert.That(WorkerPseudonym.Compute(ProvinceKey, "44010619850315002x"), Is.EqualTo(WorkerPseudonym.Compute(ProvinceKey, "44010619850315002X")));
    }

    [TestCase("440106199001011234")]
    [TestCase("44010619900101123")]
    [TestCase("4401061990010112355")]
    [TestCase("44010619900101123A")]
    [TestCase("")]
    public void A_malformed_id_number_is_refused_without_echoing_it(string id)
    {
        var e = Assert.Throws<LedgerException>(() => WorkerPseudonym.Compute(ProvinceKey, id))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCode.InvalidFieldValue));
        if (id.Length > 0) Assert.That(e.Message, Does.Not.Contain(id));
    }

    [Test]
    public void A_short_key_is_refused() =>
        Assert.That(Assert.Throws<LedgerException>(() => WorkerPseudonym.Compute(new byte[16], IdNumber))!.Code, Is.EqualTo(ErrorCode.InvalidCryptoParameter));

    [Test]
    public void A_worker_certificate_carries_the_pseudonym_and_nothing_of_the_person()
    {
        var pseudonym = WorkerPseudonym.Compute(ProvinceKey, IdNumber);
        var certificate = _pki.GuangzhouCa.Issue(new CertificateRequest("worker", Role.Worker, Pki.Guangzhou, _pki.NewKey().PublicKey, Pki.Start, Pki.Start.AddYears(3), null, pseudonym));
        var parsed = LedgerCertificate.FromDer(certificate.Der);
        Assert.That(parsed.WorkerPseudonym, Is.EqualTo(pseudonym));
        Assert.That(parsed.Role, Is.EqualTo(Role.Worker));
        Assert.That(Convert.ToHexString(parsed.Der), Does.Not.Contain(Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(IdNumber))));
        Assert.That(_pki.Validator().Validate(parsed, Pki.Start.AddDays(1)), Is.EqualTo(ValidationResult.Valid));
        var employer = _pki.GuangzhouCa.Issue(new CertificateRequest("employer", Role.Employer, Pki.Guangzhou, _pki.NewKey().PublicKey, Pki.Start, Pki.Start.AddYears(3), Pki.EmployerCode));
        Assert.That(employer.WorkerPseudonym, Is.Null);
    }

    [Test]
    public void A_worker_certificate_without_a_pseudonym_or_from_the_root_or_a_pseudonym_on_another_role_is_refused()
    {
        var key = _pki.NewKey().PublicKey;
        var pseudonym = WorkerPseudonym.Compute(ProvinceKey, IdNumber);
        Assert.That(Assert.Throws<LedgerException>(() => _pki.GuangzhouCa.Issue(new CertificateRequest("worker", Role.Worker, Pki.Guangzhou, key, Pki.Start, Pki.Start.AddYears(3))))!.Code,
            Is.EqualTo(ErrorCode.WrongCertificateRole));
        Assert.That(Assert.Throws<LedgerException>(() => _pki.Root.Issue(new CertificateRequest("worker", Role.Worker, Pki.Guangzhou, key, Pki.Start, Pki.Start.AddYears(3), null, pseudonym)))!.Code,
            Is.EqualTo(ErrorCode.WrongCertificateRole), "Worker certificates come from a city CA, after its real-name check");
        Assert.That(Assert.Throws<LedgerException>(() => _pki.GuangzhouCa.Issue(new CertificateRequest("court", Role.Court, Pki.Guangzhou, key, Pki.Start, Pki.Start.AddYears(3), null, pseudonym)))!.Code,
            Is.EqualTo(ErrorCode.WrongCertificateRole));
    }
}

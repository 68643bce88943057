using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Crypto.Certificates;

namespace Ledger.Crypto.Tests.Certificates;

public class ChainValidationTests
{
    private static readonly DateTimeOffset Midway = Pki.Start.AddYears(1);
    private Pki _pki = null!;

    [SetUp]
    public void SetUp() => _pki = new Pki();

    [TearDown]
    public void TearDown() => _pki.Dispose();

    [Test]
    public void Accepts_leaf_intermediate_and_root()
    {
        var validator = _pki.Validator();
        Assert.That(validator.Validate(_pki.IssueLeaf(), Midway), Is.EqualTo(ValidationResult.Valid));
        Assert.That(validator.Validate(_pki.GuangzhouCa.Certificate, Midway), Is.EqualTo(ValidationResult.Valid));
        Assert.That(validator.Validate(_pki.Root.Certificate, Midway), Is.EqualTo(ValidationResult.Valid));
        var shenzhenLeaf = _pki.ShenzhenCa.Issue(new CertificateRequest("Shenzhen court", Role.Court, Pki.Shenzhen, _pki.NewKey().PublicKey, Pki.Start, Pki.Start.AddYears(2)));
        Assert.That(validator.Validate(shenzhenLeaf, Midway), Is.EqualTo(ValidationResult.Valid));
    }

    [Test]
    public void Rejects_expired_leaf()
    {
        var leaf = _pki.IssueLeaf(notAfter: Pki.Start.AddDays(30));
        Assert.That(_pki.Validator().Validate(leaf, Pki.Start.AddDays(31)).Code, Is.EqualTo(ErrorCode.CertificateExpired));
        Assert.That(_pki.Validator().Validate(leaf, Pki.Start.AddDays(29)).Code, Is.EqualTo(ErrorCode.Ok));
    }

    [Test]
    public void Rejects_not_yet_valid_leaf()
    {
        var leaf = _pki.IssueLeaf(notBefore: Pki.Start.AddDays(10));
        Assert.That(_pki.Validator().Validate(leaf, Pki.Start.AddDays(9)).Code, Is.EqualTo(ErrorCode.CertificateNotYetValid));
    }

    [Test]
    public void Rejects_leaf_under_an_expired_intermediate()
    {
        using var pki = new Pki(intermediateNotAfter: Pki.Start.AddYears(1));
        var leaf = pki.IssueLeaf(notAfter: Pki.Start.AddYears(3));
        var result = pki.Validator().Validate(leaf, Pki.Start.AddYears(2));
        Assert.That(result.Code, Is.EqualTo(ErrorCode.CertificateExpired));
        Assert.That(result.Reason, Does.Contain("Guangzhou HRSS CA"));
    }

    [Test]
    public void Rejects_revoked_leaf_from_the_revocation_time_on()
    {
        var leaf = _pki.IssueLeaf();
        var other = _pki.IssueLeaf();
        var revokedAt = Pki.Start.AddDays(100);
        var crl = _pki.GuangzhouCa.IssueCrl([RevokedCertificate.Of(leaf, revokedAt)], revokedAt, revokedAt.AddDays(7));
        var validator = _pki.Validator(crl);

        Assert.That(validator.Validate(leaf, revokedAt.AddSeconds(1)).Code, Is.EqualTo(ErrorCode.CertificateRevoked));
        Assert.That(validator.Validate(leaf, revokedAt.AddDays(-1)).Code, Is.EqualTo(ErrorCode.Ok), "signed before revocation: still valid then");
        Assert.That(validator.Validate(leaf, revokedAt.AddDays(2)).Code, Is.EqualTo(ErrorCode.CertificateRevoked), "revocation still checked once the chain is cached");
        Assert.That(validator.Validate(other, revokedAt.AddDays(1)).Code, Is.EqualTo(ErrorCode.Ok));
    }

    [Test]
    public void Rejects_leaf_under_a_revoked_intermediate()
    {
        var leaf = _pki.IssueLeaf();
        var crl = _pki.Root.IssueCrl([RevokedCertificate.Of(_pki.GuangzhouCa.Certificate, Pki.Start.AddDays(1))], Pki.Start.AddDays(1), Pki.Start.AddDays(8));
        Assert.That(_pki.Validator(crl).Validate(leaf, Midway).Code, Is.EqualTo(ErrorCode.CertificateRevoked));
    }

    [Test]
    public void Rejects_a_crl_not_signed_by_the_issuer()
    {
        // An impostor CA with the same name as the Guangzhou CA (but its own key) publishes a CRL.
        using var impostorPki = new Pki();
        var leaf = _pki.IssueLeaf();
        var forged = impostorPki.GuangzhouCa.IssueCrl([RevokedCertificate.Of(leaf, Pki.Start)], Pki.Start.AddDays(1), Pki.Start.AddDays(8));
        var result = new CertificateChainValidator(_pki.Root.Certificate, [_pki.GuangzhouCa.Certificate], [forged]).Validate(leaf, Midway);
        // The forged CRL's authority key id names the impostor's key, so it is not taken to be Guangzhou's CRL;
        // it is not allowed to revoke anything.
        Assert.That(result.Code, Is.Not.EqualTo(ErrorCode.CertificateRevoked));
    }

    [Test]
    public void Fails_closed_on_a_crl_whose_signature_does_not_verify()
    {
        var leaf = _pki.IssueLeaf();
        var genuine = _pki.GuangzhouCa.IssueCrl([], Pki.Start.AddDays(1), Pki.Start.AddDays(8)).Der;
        genuine[^1] ^= 0x01; // last byte of s inside the signature
        var damaged = CertificateRevocationList.FromDer(genuine);
        Assert.That(_pki.Validator(damaged).Validate(leaf, Midway).Code, Is.EqualTo(ErrorCode.InvalidCrl));
    }

    [Test]
    public void Rejects_leaf_from_another_consortium()
    {
        using var other = new Pki();
        var foreign = other.IssueLeaf();
        Assert.That(_pki.Validator().Validate(foreign, Midway).Code, Is.EqualTo(ErrorCode.UntrustedCertificate));
        // And when the foreign intermediate is handed in as an intermediate, it still does not chain to our root.
        var validator = new CertificateChainValidator(_pki.Root.Certificate, [other.GuangzhouCa.Certificate], []);
        Assert.That(validator.Validate(foreign, Midway).Code, Is.Not.EqualTo(ErrorCode.Ok));
    }

    [Test]
    public void Rejects_leaf_when_its_intermediate_is_missing()
    {
        var validator = new CertificateChainValidator(_pki.Root.Certificate, [_pki.ShenzhenCa.Certificate], []);
        Assert.That(validator.Validate(_pki.IssueLeaf(), Midway).Code, Is.EqualTo(ErrorCode.UntrustedCertificate));
    }

    [Test]
    public void Tampered_certificate_never_validates_and_never_throws_anything_but_LedgerException()
    {
        var leaf = _pki.IssueLeaf(Role.Employer, creditCode: Pki.EmployerCode);
        var der = leaf.Der;
        var validator = _pki.Validator();
        var outcomes = new Dictionary<ErrorCode, int>();
        for (var i = 0; i < der.Length; i++)
        {
            var damaged = (byte[])der.Clone();
            damaged[i] ^= 0x01;
            ErrorCode code;
            try
            {
                code = validator.Validate(LedgerCertificate.FromDer(damaged), Midway).Code;
            }
            catch (LedgerException e)
            {
                code = e.Code;
            }
            Assert.That(code, Is.Not.EqualTo(ErrorCode.Ok), $"byte {i} flipped and the certificate still validated");
            outcomes[code] = outcomes.GetValueOrDefault(code) + 1;
        }
        Assert.That(outcomes.Keys, Does.Contain(ErrorCode.InvalidCertificate));
    }

    [Test]
    public void Refuses_a_non_root_as_trust_anchor()
    {
        Assert.That(Assert.Throws<LedgerException>(() => new CertificateChainValidator(_pki.GuangzhouCa.Certificate, [], []))!.Code, Is.EqualTo(ErrorCode.WrongCertificateRole));
    }

    [Test]
    public void Refuses_a_root_whose_self_signature_does_not_verify()
    {
        // Re-sign the root's TBS with another key: same name, same structure, wrong signature.
        using var other = _pki.NewKey();
        var structure = _pki.Root.Certificate.Structure;
        var forged = new Org.BouncyCastle.Asn1.X509.X509CertificateStructure(structure.TbsCertificate, structure.SignatureAlgorithm,
            new Org.BouncyCastle.Asn1.DerBitString(other.Sign(structure.TbsCertificate.GetEncoded(Org.BouncyCastle.Asn1.Asn1Encodable.Der))));
        var root = LedgerCertificate.FromDer(forged.GetEncoded(Org.BouncyCastle.Asn1.Asn1Encodable.Der));
        Assert.That(Assert.Throws<LedgerException>(() => new CertificateChainValidator(root, [], []))!.Code, Is.EqualTo(ErrorCode.InvalidCertificate));
    }

    [Test]
    public void Validates_in_parallel()
    {
        var leaves = Enumerable.Range(0, 16).Select(_ => _pki.IssueLeaf()).ToArray();
        var validator = _pki.Validator();
        var results = new ValidationResult[leaves.Length * 4];
        Parallel.For(0, results.Length, i => results[i] = validator.Validate(leaves[i % leaves.Length], Midway));
        Assert.That(results, Has.All.EqualTo(ValidationResult.Valid));
    }
}

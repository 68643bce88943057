using Ledger.Client.Evidence;
using Ledger.Core.Identity;
using Ledger.TestKit.Builders;

namespace Ledger.Reports.Tests;

/// <summary>How a report names the validators that sealed: genesis's as genesis names them, one voted in later by its bureau.</summary>
public class ReportNamesTests
{
    private static readonly TestNetwork Network = TestNetwork.Create(4);

    /// <summary>The validator of a bureau genesis did not have (Shaoguan), certified by the province as a vote would add it.</summary>
    private static Crypto.Certificates.LedgerCertificate ShaoguanValidator() => Network.Root.Issue(new Crypto.Certificates.CertificateRequest(
        "Shaoguan validator", Role.Validator, DivisionCode.Parse("440200"), Crypto.Sm2PrivateKey.Generate().PublicKey, TestNetwork.NotBefore, TestNetwork.NotAfter));

    [Test]
    public void A_genesis_validator_is_named_as_genesis_names_it()
    {
        var genesis = Network.Genesis.Validators[0];
        var certificate = Network.Validators[0].Certificate;
        var sealer = ReportNames.Sealer(ReportNames.Bureaus(Network.Genesis), new SealingValidator(certificate.Id, certificate.Subject, certificate.Division.Value));
        Assert.That(sealer.Bureau, Is.EqualTo(genesis.DisplayName));
    }

    [Test]
    public void A_validator_voted_in_later_is_named_by_the_bureau_of_its_certificates_division()
    {
        var added = ShaoguanValidator();
        var sealer = ReportNames.Sealer(ReportNames.Bureaus(Network.Genesis), new SealingValidator(added.Id, added.Subject, added.Division.Value));
        Assert.That((sealer.Bureau, sealer.Division), Is.EqualTo(("韶关市人力资源和社会保障局", "440200000000")));
    }

    [Test]
    public void A_validator_of_a_division_no_bureau_speaks_for_is_named_by_its_certificate()
    {
        var sealer = ReportNames.Sealer(ReportNames.Bureaus(Network.Genesis),
            new SealingValidator(Core.Hash32.Parse(new string('e', 64)), "C=CN,CN=Tianhe relay", "440106000000"));
        Assert.That(sealer.Bureau, Is.EqualTo("Tianhe relay"));
    }
}

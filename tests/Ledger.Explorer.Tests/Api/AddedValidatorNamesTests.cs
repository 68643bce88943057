using Ledger.Core.Identity;
using Ledger.Explorer.Api;
using Ledger.TestKit.Builders;

namespace Ledger.Explorer.Tests.Api;

/// <summary>
/// A validator voted in after genesis, once learned from a verified set, is named in block views as genesis's are: by the
/// bureau of its certificate's division (zh-CN), its CN beside.
/// </summary>
public class AddedValidatorNamesTests
{
    private static readonly TestNetwork Network = TestNetwork.Create(4);

    /// <summary>The validator of a bureau genesis did not have (Shaoguan), certified by the province as a vote would add it.</summary>
    private static Crypto.Certificates.LedgerCertificate ShaoguanValidator() => Network.Root.Issue(new Crypto.Certificates.CertificateRequest(
        "Shaoguan validator", Role.Validator, DivisionCode.Parse("440200"), Crypto.Sm2PrivateKey.Generate().PublicKey, TestNetwork.NotBefore, TestNetwork.NotAfter));

    private static ApiViews Views() => new(TrustAnchor.Parse(System.Text.Encoding.UTF8.GetBytes(Network.Genesis.ToJson())));

    [Test]
    public void An_added_validator_is_unnamed_until_learned_then_named_by_its_bureau()
    {
        var views = Views();
        var added = ShaoguanValidator();
        Assert.That(views.Knows(added.Id), Is.False);
        Assert.That(views.Validator(added.Id), Is.EqualTo(new ValidatorRef(added.Id.ToHex(), null, null)));

        views.Learn(added);
        Assert.That(views.Knows(added.Id), Is.True);
        Assert.That(views.Validator(added.Id), Is.EqualTo(new ValidatorRef(added.Id.ToHex(), "Shaoguan validator", "440200000000", "韶关市人力资源和社会保障局")));
        Assert.That(views.Added.Select(v => v.CertificateId), Is.EqualTo(new[] { added.Id }));
    }

    [Test]
    public void Learning_never_renames_a_genesis_validator()
    {
        var views = Views();
        var genesis = Network.Validators[0].Certificate;
        var before = views.Validator(genesis.Id);
        views.Learn(genesis);
        Assert.That(views.Validator(genesis.Id), Is.EqualTo(before));
        Assert.That(views.Added, Is.Empty);
    }
}

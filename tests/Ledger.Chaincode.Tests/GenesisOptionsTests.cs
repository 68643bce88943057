using Ledger.Chaincode.Tests.Support;
using Ledger.Core;
using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.TestKit.Network;

namespace Ledger.Chaincode.Tests;

/// <summary>
/// The chaincode's jurisdiction comes from genesis (every node executes with the same), not from the node's build: an
/// old genesis without the section runs the Guangdong preset, a genesis naming another province is that province's, and
/// a malformed section stops the node at start with a reason.
/// </summary>
public class GenesisOptionsTests
{
    private static GenesisDocument With(ChaincodeParameters? chaincode) => new TestConsortium().Genesis with { Chaincode = chaincode };

    [Test]
    public void A_genesis_without_the_section_runs_the_Guangdong_preset_and_network_init_writes_it_out()
    {
        Assert.That(LabourContractOptions.FromGenesis(With(null)), Is.SameAs(LabourContractOptions.Guangdong));
        var written = LabourContractOptions.FromGenesis(GenesisDocument.FromJson(With(LabourContractOptions.Guangdong.ToGenesis()).ToJson()));
        Assert.That(written.Province, Is.EqualTo(LabourContractOptions.Guangdong.Province));
        Assert.That(written.CitiesWithoutCounties, Is.EqualTo(LabourContractOptions.Guangdong.CitiesWithoutCounties));
    }

    [Test]
    public void A_genesis_of_another_province_is_that_provinces_jurisdiction()
    {
        var guangxi = LabourContractOptions.FromGenesis(With(new ChaincodeParameters { Province = "450000000000" }));
        var chain = new TestChain(guangxi);
        var inGuangdong = chain.Submit(Make.Register("GX-1", Make.Terms(place: "440106000000")), Parties.EmployerA);
        Assert.That(inGuangdong.Code, Is.EqualTo(ErrorCode.PlaceOfWorkOutsideProvince), "Guangdong is outside Guangxi's jurisdiction");
        var nanning = chain.Submit(Make.Register("GX-2", Make.Terms(place: "450102000000")), Parties.EmployerA);
        Assert.That(nanning.Code, Is.Not.EqualTo(ErrorCode.PlaceOfWorkOutsideProvince), nanning.ToString());
    }

    [TestCase("4401", "not a division code")]
    [TestCase("440100000000", "not a province's code")]
    public void A_malformed_province_is_refused(string province, string reason)
    {
        var refused = Assert.Throws<LedgerException>(() => LabourContractOptions.FromGenesis(With(new ChaincodeParameters { Province = province })));
        Assert.That(refused!.Message, Does.Contain(reason));
    }

    [Test]
    public void A_city_without_counties_must_be_a_city_of_the_province()
    {
        var refused = Assert.Throws<LedgerException>(() => LabourContractOptions.FromGenesis(With(new ChaincodeParameters
            { Province = "440000000000", CitiesWithoutCounties = ["450100000000"] })));
        Assert.That(refused!.Message, Does.Contain("not a city of province"));
        Assert.Throws<LedgerException>(() => LabourContractOptions.FromGenesis(With(new ChaincodeParameters
            { Province = "440000000000", CitiesWithoutCounties = ["440106000000"] })), "a county is no city");
    }
}

using Ledger.Core.Identity;

namespace Ledger.Core.Tests.Identity;

public class BureauNamesTests
{
    [TestCase("440000000000", "广东省人力资源和社会保障厅")]
    [TestCase("440100000000", "广州市人力资源和社会保障局")]
    [TestCase("440200", "韶关市人力资源和社会保障局")]
    [TestCase("445300000000", "云浮市人力资源和社会保障局")]
    public void A_province_or_city_division_is_named_by_its_bureau(string division, string bureau) =>
        Assert.That(BureauNames.Of(division), Is.EqualTo(bureau));

    [TestCase("440106000000")] // a county (Tianhe): no validator bureau of its own
    [TestCase("450100000000")] // a city of another province
    [TestCase("not a code")]
    [TestCase(null)]
    public void Any_other_division_has_no_bureau_name(string? division) => Assert.That(BureauNames.Of(division), Is.Null);
}

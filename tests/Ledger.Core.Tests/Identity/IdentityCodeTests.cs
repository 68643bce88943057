using Ledger.Core.Identity;

namespace Ledger.Core.Tests.Identity;

public class IdentityCodeTests
{
    // Published examples of valid codes (GB 32100 annex and registered enterprises).
    [TestCase("91350100M000100Y43")]
    [TestCase("91440300708461136T")]
    [TestCase("914403001922038216")]
    public void Accepts_credit_codes_with_a_correct_check_character(string code)
    {
        Assert.That(CreditCode.TryParse(code, out var parsed), Is.True);
        Assert.That(parsed.Value, Is.EqualTo(code));
    }

    [TestCase("91350100M000100Y44", TestName = "Rejects_a_wrong_check_character")]
    [TestCase("91350100M000100Y4", TestName = "Rejects_17_characters")]
    [TestCase("91350100I000100Y43", TestName = "Rejects_a_letter_outside_the_alphabet")]
    [TestCase("91350100m000100Y43", TestName = "Rejects_lower_case")]
    [TestCase("", TestName = "Rejects_an_empty_credit_code")]
    public void Rejects_invalid_credit_codes(string code) => Assert.That(CreditCode.TryParse(code, out _), Is.False);

    [Test]
    public void Every_single_character_change_breaks_the_check()
    {
        const string code = "91440300708461136T";
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        for (var i = 0; i < 18; i++)
        {
            foreach (var c in alphabet)
            {
                if (c == code[i]) continue;
                var changed = string.Concat(code.AsSpan(0, i), c.ToString(), code.AsSpan(i + 1));
                Assert.That(CreditCode.TryParse(changed, out _), Is.False, changed);
            }
        }
    }

    [TestCase("440000", DivisionLevel.Province)]
    [TestCase("440100000000", DivisionLevel.City)]
    [TestCase("440106000000", DivisionLevel.County)]
    [TestCase("440106001000", DivisionLevel.Town)]
    [TestCase("440106001001", DivisionLevel.Village)]
    [TestCase("441900003000", DivisionLevel.Town)]
    [TestCase("442000101001", DivisionLevel.Village)]
    public void Division_codes_know_their_level(string code, DivisionLevel level) =>
        Assert.That(DivisionCode.Parse(code).Level, Is.EqualTo(level));

    [TestCase("4401", TestName = "Rejects_four_digits")]
    [TestCase("990100", TestName = "Rejects_an_unknown_province")]
    [TestCase("440006000000", TestName = "Rejects_a_county_under_no_city")]
    [TestCase("44010a000000", TestName = "Rejects_a_letter_in_a_division_code")]
    [TestCase("440106000001", TestName = "Rejects_a_village_under_no_town")]
    [TestCase("440000001000", TestName = "Rejects_a_town_under_no_city")]
    public void Rejects_invalid_division_codes(string code) => Assert.That(DivisionCode.TryParse(code, out _), Is.False);

    [Test]
    public void A_city_contains_its_villages_but_not_another_city()
    {
        var guangzhou = DivisionCode.Parse("440100");
        Assert.That(guangzhou.Contains(DivisionCode.Parse("440106001001")), Is.True);
        Assert.That(guangzhou.Contains(DivisionCode.Parse("440300000000")), Is.False);
        Assert.That(DivisionCode.Parse("440000").Contains(DivisionCode.Parse("440300000000")), Is.True);
        Assert.That(DivisionCode.Parse("440106001001").AtLevel(DivisionLevel.City), Is.EqualTo(guangzhou));
        Assert.That(DivisionCode.Parse("441900").Contains(DivisionCode.Parse("441900003000")), Is.True, "Dongguan's towns sit directly under the city");
    }

    [Test]
    public void Hash32_parses_what_it_prints_and_orders_by_bytes()
    {
        var bytes = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var hash = new Hash32(bytes);
        Assert.That(Hash32.Parse(hash.ToHex()), Is.EqualTo(hash));
        Assert.That(Hash32.Parse(hash.ToHex().ToUpperInvariant()), Is.EqualTo(hash));
        Assert.That(hash.ToArray(), Is.EqualTo(bytes));
        Assert.That(Hash32.TryParse("zz" + hash.ToHex()[2..], out _), Is.False);
        Assert.That(Hash32.TryParse(hash.ToHex().AsSpan(2), out _), Is.False);
        var bigger = (byte[])bytes.Clone();
        bigger[31]++;
        Assert.That(hash < new Hash32(bigger), Is.True);
        bigger[0] = 0xFF;
        bigger[31] = 0;
        Assert.That(new Hash32(bigger) > hash, Is.True);
    }
}

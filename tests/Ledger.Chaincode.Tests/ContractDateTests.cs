using Ledger.Core.Contracts;

namespace Ledger.Chaincode.Tests;

/// <summary>Dates on chain: yyyymmdd on the wire, "today" in China Standard Time without a time-zone database.</summary>
public class ContractDateTests
{
    [Test]
    public void Block_time_at_16_00_UTC_is_the_next_day_in_China()
    {
        var instant = new DateTimeOffset(2024, 1, 31, 16, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.That(ContractDate.FromUnixMilliseconds(instant), Is.EqualTo(ContractDate.Create(2024, 2, 1)));
        Assert.That(ContractDate.FromUnixMilliseconds(instant - 1), Is.EqualTo(ContractDate.Create(2024, 1, 31)));
    }

    [Test]
    public void Block_time_before_1970_floors_to_the_right_day()
    {
        var instant = new DateTimeOffset(1969, 12, 31, 15, 59, 59, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.That(ContractDate.FromUnixMilliseconds(instant), Is.EqualTo(ContractDate.Create(1969, 12, 31)));
    }

    [TestCase(20240229u, true)]
    [TestCase(20230229u, false)]
    [TestCase(20241301u, false)]
    [TestCase(20240100u, false)]
    [TestCase(18991231u, false)]
    [TestCase(0u, false)]
    public void Wire_form_accepts_only_real_dates(uint number, bool valid)
    {
        Assert.That(ContractDate.TryFromNumber(number, out var date), Is.EqualTo(valid));
        if (valid) Assert.That(date.ToNumber(), Is.EqualTo(number));
    }

    [Test]
    public void Prints_iso_8601() => Assert.That(ContractDate.Create(2024, 7, 1).ToString(), Is.EqualTo("2024-07-01"));
}

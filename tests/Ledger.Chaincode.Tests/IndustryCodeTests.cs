using Ledger.Chaincode.Law;

namespace Ledger.Chaincode.Tests;

/// <summary>GB/T 4754-2017 code shapes.</summary>
public class IndustryCodeTests
{
    [TestCase("A")]
    [TestCase("T")]
    [TestCase("A01")]
    [TestCase("A051")]
    [TestCase("C3911")]
    [TestCase("C13")]
    [TestCase("C43")]
    [TestCase("I6510")]
    [TestCase("K7010")]
    [TestCase("T97")]
    [TestCase("3911")]
    [TestCase("0111")]
    public void Accepts(string code) => Assert.That(IndustryCodes.IsValid(code), Is.True);

    [TestCase("")]
    [TestCase("U")]
    [TestCase("a01")]
    [TestCase("C1")]
    [TestCase("C39111")]
    [TestCase("C12")]
    [TestCase("D43")]
    [TestCase("A00")]
    [TestCase("391")]
    [TestCase("9811")]
    [TestCase("0011")]
    [TestCase("C39.1")]
    [TestCase("C３９")] // full-width digits are not ASCII digits
    public void Rejects(string code) => Assert.That(IndustryCodes.IsValid(code), Is.False);
}

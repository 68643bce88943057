using Ledger.Chaincode.Tests.Support;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Execution;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Tests;

/// <summary>
/// Every (status, action) pair: a contract is driven into the status with lawful txs, then sent an otherwise
/// valid tx of the action. The expected outcome is written out here, independently of the chaincode's table.
/// </summary>
public class LifecycleTableTests
{
    private const string Id = "GZ-2024-000001";

    /// <summary>null status = no contract with this id.</summary>
    private static readonly ContractStatus?[] Statuses =
    [
        null, ContractStatus.PendingSignature, ContractStatus.Effective, ContractStatus.PendingChange,
        ContractStatus.PendingRenewal, ContractStatus.Dissolved, ContractStatus.Terminated, ContractStatus.PendingConfirmation,
    ];

    private static readonly ContractAction[] Actions =
    [
        ContractAction.Register, ContractAction.Sign, ContractAction.Change, ContractAction.Renew,
        ContractAction.Dissolve, ContractAction.Terminate, ContractAction.UploadPaper, ContractAction.ConfirmPaper,
    ];

    public static IEnumerable<TestCaseData> Pairs()
    {
        foreach (var status in Statuses)
        foreach (var action in Actions)
        {
            var (code, after) = Expected(status, action);
            yield return new TestCaseData(status, action, code, after)
                .SetName($"{status?.ToString() ?? "NoContract"} + {action} -> {(code == ErrorCode.Ok ? after.ToString() : code.ToString())}");
        }
    }

    private static (ErrorCode Code, ContractStatus? After) Expected(ContractStatus? status, ContractAction action)
    {
        var creates = action is ContractAction.Register or ContractAction.UploadPaper;
        if (status is null)
        {
            return action switch
            {
                ContractAction.Register => (ErrorCode.Ok, ContractStatus.PendingSignature),
                ContractAction.UploadPaper => (ErrorCode.Ok, ContractStatus.PendingConfirmation), // the employer's word alone
                _ => (ErrorCode.ContractNotFound, null),
            };
        }
        if (creates) return (ErrorCode.ContractAlreadyExists, status);
        if (action == ContractAction.ConfirmPaper)
            return status == ContractStatus.PendingConfirmation ? (ErrorCode.Ok, ContractStatus.Effective) : (ErrorCode.NotAwaitingConfirmation, status);
        if (status == ContractStatus.PendingConfirmation) return (ErrorCode.ContractNotEffective, status);
        if (status is ContractStatus.Dissolved or ContractStatus.Terminated) return (ErrorCode.ContractClosed, status);
        if (status == ContractStatus.PendingSignature)
            return action == ContractAction.Sign ? (ErrorCode.Ok, ContractStatus.Effective) : (ErrorCode.ContractNotEffective, status);
        if (status == ContractStatus.Effective && action == ContractAction.Sign) return (ErrorCode.AlreadySigned, status);
        return action switch
        {
            ContractAction.Sign => (ErrorCode.Ok, ContractStatus.Effective),
            ContractAction.Change => (ErrorCode.Ok, ContractStatus.PendingChange),
            ContractAction.Renew => (ErrorCode.Ok, ContractStatus.PendingRenewal),
            ContractAction.Dissolve => (ErrorCode.Ok, ContractStatus.Dissolved),
            ContractAction.Terminate => (ErrorCode.Ok, ContractStatus.Terminated),
            _ => throw new InvalidOperationException(),
        };
    }

    [TestCaseSource(nameof(Pairs))]
    public void Status_and_action(ContractStatus? status, ContractAction action, ErrorCode expected, ContractStatus? statusAfter)
    {
        var chain = new TestChain();
        DriveTo(chain, status);
        var rootBefore = chain.StateRoot();

        var result = Send(chain, action);

        Assert.That(result.Code, Is.EqualTo(expected), result.Message);
        Assert.That(chain.Find(Id)?.Status, Is.EqualTo(statusAfter));
        if (expected != ErrorCode.Ok)
            Assert.That(chain.StateRoot(), Is.EqualTo(rootBefore), "a refused tx leaves no trace in state");
    }

    [Test]
    public void The_table_covers_every_status_and_every_action()
    {
        Assert.That(Statuses.Where(s => s is not null).Select(s => s!.Value),
            Is.EquivalentTo(Enum.GetValues<ContractStatus>().Where(s => s != ContractStatus.Unspecified)));
        Assert.That(Actions, Is.EquivalentTo(Enum.GetValues<ContractAction>().Where(a => a != ContractAction.Unspecified)));
    }

    private static void DriveTo(TestChain chain, ContractStatus? status)
    {
        if (status is null) return;
        if (status == ContractStatus.PendingConfirmation)
        {
            TestChain.Expect(chain.Submit(Make.Paper(Id), Parties.EmployerA));
            Assert.That(chain.Contract(Id).Status, Is.EqualTo(status));
            return;
        }
        TestChain.Expect(chain.Register(Id));
        if (status == ContractStatus.PendingSignature) return;
        TestChain.Expect(chain.SignLatest(Id, Parties.EmployerA, Parties.EmployerA, Parties.Worker1));
        var doc = chain.Contract(Id).Latest.DocumentHash;
        switch (status)
        {
            case ContractStatus.PendingChange: TestChain.Expect(chain.Submit(Make.Change(Id, 1), Parties.EmployerA)); break;
            case ContractStatus.PendingRenewal: TestChain.Expect(chain.Submit(Make.Renew(Id, 1), Parties.EmployerA)); break;
            case ContractStatus.Dissolved:
                TestChain.Expect(chain.Submit(Make.Dissolve(Id, 1, doc), Parties.EmployerA, Parties.EmployerA, Parties.Worker1));
                break;
            case ContractStatus.Terminated: TestChain.Expect(chain.Submit(Make.Terminate(Id, 1, doc), Parties.EmployerA)); break;
        }
        Assert.That(chain.Contract(Id).Status, Is.EqualTo(status));
    }

    /// <summary>An otherwise valid tx of the action against whatever state the contract is in.</summary>
    private static ExecutionResult Send(TestChain chain, ContractAction action)
    {
        var record = chain.Find(Id);
        var latest = record?.Latest.Number ?? 1;
        var latestDoc = record?.Latest.DocumentHash ?? Make.Doc(Id, 1);
        var inForce = record?.InForce ?? record?.Latest;
        var both = new[] { Parties.EmployerA, Parties.Worker1 };
        return action switch
        {
            ContractAction.Register => chain.Submit(Make.Register(Id), Parties.EmployerA),
            ContractAction.UploadPaper => chain.Submit(Make.Paper(Id), Parties.EmployerA),
            ContractAction.Sign => chain.Submit(Make.Sign(Id, latest, latestDoc), Parties.EmployerA, both),
            ContractAction.Change => chain.Submit(Make.Change(Id, latest, docNumber: 10 + (int)latest), Parties.EmployerA),
            ContractAction.Renew => chain.Submit(Make.Renew(Id, latest), Parties.EmployerA),
            ContractAction.Dissolve => chain.Submit(Make.Dissolve(Id, inForce?.Number ?? 1, inForce?.DocumentHash ?? latestDoc), Parties.EmployerA, both),
            ContractAction.Terminate => chain.Submit(Make.Terminate(Id, inForce?.Number ?? 1, inForce?.DocumentHash ?? latestDoc), Parties.EmployerA),
            ContractAction.ConfirmPaper => chain.Submit(Make.Confirm(Id, latestDoc), Parties.EmployerA, Parties.Worker1),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
    }
}

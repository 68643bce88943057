using Ledger.Chain.Admission;
using Ledger.Core.Blocks;
using Ledger.Core.Crypto;

namespace Ledger.Chain.Validation;

/// <summary>The rule sets a validator runs: one for other validators' proposals, one for certified blocks.</summary>
public static class BlockRules
{
    /// <summary>
    /// A proposal before this validator prepares it: its hash, height, parent, validator set, proposer, round, time after
    /// the parent's and timely on this validator's clock (PBTS); then its txs, and revocation by <paramref name="revocations"/>
    /// (this node's CRL files today: refusing a proposal costs a round, never the chain).
    /// </summary>
    public static BlockRuleSet ForProposals(Governance.ValidatorSets validators, IHasher hasher, ProposalTiming timing, TimeProvider clock, TxAdmission admission, IRevocationStatus revocations) =>
        new(new CompositeBlockValidator(
            [
                new HeaderHashRule(hasher),
                HeightRule.Instance,
                ParentRule.Instance,
                new ValidatorSetRule(validators),
                new ProposerRule(validators),
                RoundRule.Instance,
                TimeAfterParentRule.Instance,
                new TimelyProposalRule(timing, clock),
            ]),
            new CompositeBlockValidator([new TransactionsRule(admission), new EndorsementRevocationRule(revocations)]));

    /// <summary>
    /// A block a quorum sealed (fetched by block sync, or decided here without this node having checked it): the
    /// certificate, then the same structure and txs — but nothing judged on this node's own clock or files. A node must
    /// never refuse a certified block over what only it knows (a newer CRL file, a skewed clock), or it halts. A revocation
    /// source every node agrees on — the chain's own record of CRLs — may be passed as <paramref name="chainRevocations"/>.
    /// </summary>
    public static BlockRuleSet ForCertifiedBlocks(string chainId, Governance.ValidatorSets validators, TxAdmission admission, IRevocationStatus? chainRevocations = null) =>
        new(new CompositeBlockValidator(
            [
                HeightRule.Instance,
                new CommitCertificateRule(chainId, validators),
                ParentRule.Instance,
                new ValidatorSetRule(validators),
                new ProposerRule(validators),
                RoundRule.Instance,
                TimeAfterParentRule.Instance,
            ]),
            new CompositeBlockValidator(chainRevocations is null
                ? [new TransactionsRule(admission)]
                : [new TransactionsRule(admission), new EndorsementRevocationRule(chainRevocations)]));
}

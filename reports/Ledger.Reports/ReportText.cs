using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;

namespace Ledger.Reports;

/// <summary>The words of a report: Chinese first, English second, as a court clerk would say them.</summary>
internal static class ReportText
{
    public static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public static string Time(DateTimeOffset time) => $"{time.ToOffset(ChinaStandardTime):yyyy-MM-dd HH:mm:ss.fff} (UTC+8)";

    public static string Action(ContractAction? action) => action switch
    {
        ContractAction.Register => "登记 Registration",
        ContractAction.Sign => "签署 Signature",
        ContractAction.Change => "变更 Change",
        ContractAction.Renew => "续订 Renewal",
        ContractAction.Dissolve => "解除 Dissolution",
        ContractAction.Terminate => "终止 Termination",
        ContractAction.UploadPaper => "上传纸质合同 Paper contract upload",
        ContractAction.ConfirmPaper => "确认纸质合同 Paper contract confirmation",
        _ => "—",
    };

    public static string Role(Role role) => role switch
    {
        Core.Identity.Role.Employer => "用人单位 Employer",
        Core.Identity.Role.Worker => "劳动者 Worker",
        Core.Identity.Role.Bureau => "人社部门 HR bureau",
        Core.Identity.Role.Integrator => "接入机构 Integrator",
        Core.Identity.Role.Arbitration => "劳动仲裁机构 Arbitration board",
        Core.Identity.Role.Court => "人民法院 Court",
        Core.Identity.Role.Inspector => "劳动监察 Labour inspector",
        Core.Identity.Role.Validator => "验证节点 Validator",
        _ => "未知 Unknown",
    };

    public static string Scope(EndorsementScope scope) => scope == EndorsementScope.Body ? "提交 Submitted" : "同意 Consented";

    public static string Outcome(ErrorCode? receipt) => receipt switch
    {
        null => "—",
        ErrorCode.Ok => "已记录，业务规则接受 Recorded and accepted",
        var code => $"已记录为被拒绝 Recorded as refused: {code}",
    };

    /// <summary>Why a proof failed, in words a clerk can act on; the code follows for the technical reader.</summary>
    public static string Failure(ErrorCode code) => code switch
    {
        ErrorCode.DocumentHashMismatch => "证明本身有效，但所附文件与链上存证的文件不一致 The proof holds, but the file is not the anchored document",
        ErrorCode.WrongChainId => "证明不属于本链 The proof is for another chain",
        ErrorCode.UnknownValidatorSet or ErrorCode.UnknownValidator => "区块并非由本链的验证节点确认 The block was not certified by this chain's validators",
        ErrorCode.InsufficientSeals => "确认该区块的验证节点不足法定多数 Too few validators sealed the block",
        ErrorCode.InvalidSeal or ErrorCode.DuplicateSeal => "验证节点签章无效 A validator's seal is invalid",
        ErrorCode.PreGenesisBlock => "区块早于本链创世 The block precedes the chain's genesis",
        ErrorCode.UntrustedCertificate or ErrorCode.CertificateExpired or ErrorCode.CertificateNotYetValid or ErrorCode.WrongCertificateRole
            => "签名人证书不受本链信任 A signer's certificate is not trusted by this chain",
        ErrorCode.CertificateRevoked => "签名人证书在本交易前已被吊销 A signer's certificate was revoked before this tx",
        ErrorCode.RevocationStatusMissing => "证明缺少签名人证书的吊销状态 The proof lacks a signer's revocation status",
        ErrorCode.InvalidSignature or ErrorCode.MissingEndorsement => "签名无效或缺失 A signature is invalid or missing",
        _ => "证明不成立 The proof does not hold",
    };

    /// <summary>The PBTS bound on the block's time (docs/proof-format.md): a quorum's clocks accepted it, within ±X.</summary>
    public static string TimeBound(Client.Evidence.AttestedTime attested) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"至少 {attested.Quorum} / {attested.Validators} 个验证节点按各自时钟认可此时间，误差不超过 ±{attested.Bound.TotalSeconds:0.###} 秒 " +
        $"At least {attested.Quorum} of {attested.Validators} validators accepted this time on their own clocks, within ±{attested.Bound.TotalSeconds:0.###} s");

    /// <summary>The external-anchor checkpoint: what it shows offline, and that the external chain is checked elsewhere.</summary>
    public static string Anchor(Client.Evidence.AnchorCheckpoint anchor) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"不晚于外部链（EVM {anchor.EvmChainId}）区块 {anchor.ExternalBlock}（{Time(anchor.ExternalTime)}）即已存在：本链于区块 {anchor.RecordedAt} 记录了检查点 {anchor.CheckpointHeight} 的锚定；" +
        $"外部链本身须以 ledger anchor verify 核验。 Existed no later than external block {anchor.ExternalBlock}, as our chain recorded the anchor of checkpoint {anchor.CheckpointHeight}; " +
        $"the external chain itself is checked with `ledger anchor verify --height {anchor.CheckpointHeight}`.");

    /// <summary>A certificate the chain recorded as revoked after the tx: the tx stands; the CA's own date is stated.</summary>
    public static string LaterRevocation(Client.Evidence.LaterRevocation later) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{later.Subject}：于区块 {later.Height} 登记吊销（本交易之后），CA 所载吊销日期 {Time(later.RevokedAt)} " +
        $"recorded revoked at height {later.Height}, after this tx; the CA dates it {Time(later.RevokedAt)}");

    public static string Status(Core.Contracts.ContractStatus? status) => status switch
    {
        Core.Contracts.ContractStatus.PendingSignature => "待签署 Pending signature",
        Core.Contracts.ContractStatus.Effective => "履行中 Effective",
        Core.Contracts.ContractStatus.PendingChange => "变更待签署 Change pending signature",
        Core.Contracts.ContractStatus.PendingRenewal => "续订待签署 Renewal pending signature",
        Core.Contracts.ContractStatus.Dissolved => "已解除 Dissolved",
        Core.Contracts.ContractStatus.Terminated => "已终止 Terminated",
        Core.Contracts.ContractStatus.PendingConfirmation => "纸质合同待劳动者确认或人社部门核验 Paper upload awaiting the worker's confirmation or a bureau's attestation",
        _ => "—",
    };

    public static string Standing(VersionStanding standing) => standing switch
    {
        VersionStanding.InForce => "现行有效版本 version in force",
        VersionStanding.LastInForce => "最后生效版本（合同已结束） last version in force before the contract ended",
        VersionStanding.Superseded => "已被取代 SUPERSEDED by a later version",
        VersionStanding.NotInForce => "未生效 not in force",
        _ => "",
    };

    /// <summary>What the contract-bundle verifier checked, in order (ContractEvidenceVerifier; docs/proof-format.md).</summary>
    public static readonly string[] BundleChecks =
    [
        "证据包所在区块由本链法定多数（⌈2n/3⌉）验证节点签章，验证节点集合取自创世文件 The bundle's block is sealed by a quorum (⌈2n/3⌉) of the validators genesis gives",
        "合同记录由状态证明在该区块状态根下证实（SM3 默克尔树） The contract's record is proved under that block's state root (SM3 Merkle tree)",
        "所列事件恰为记录中的全部历史：无缺失、无增添、无替换、顺序一致 The events are exactly the record's history: none missing, added or substituted, in order",
        "每一事件均为完整有效的交易证明（交易标识、默克尔路径、法定多数签章、证书链与吊销状态、各方签名），且被业务规则接受 "
            + "Each event is a valid tx proof (tx id, Merkle paths, quorum of seals, certificate chains and revocation, parties' signatures), accepted by the rules",
        "每一事件所在区块不晚于证据包所在区块 No event's block is later than the bundle's",
        "所附文件的 SM3 与某一事件的存证文件比对（如提供） The file's SM3 is compared with each event's document (when given)",
    ];

    /// <summary>What the verifier checked, in order (EvidenceVerifier; docs/proof-format.md).</summary>
    public static readonly string[] Checks =
    [
        "交易标识为交易内容的 SM3 摘要 The tx id is the SM3 of the tx body",
        "交易及其回执在区块中（默克尔路径） The tx and its receipt are in the block (Merkle paths)",
        "区块晚于创世，验证节点集合取自创世文件 The block follows genesis; the validator set comes from genesis",
        "法定多数（⌈2n/3⌉）验证节点有效签章 A quorum (⌈2n/3⌉) of validators sealed the block",
        "验证节点及签名人证书链至根证书且在区块时间有效 Validators' and signers' certificates chain to the root and were valid at block time",
        "签名人证书在本交易前未被链上吊销（状态证明） No signer's certificate was revoked on chain before the tx (state proofs)",
        "各方对合同陈述的签名有效 Every party's signature over the contract statement holds",
        "所附文件的 SM3 与存证一致（如提供） The file's SM3 equals the anchored hash (when given)",
    ];
}

using System.Globalization;
using System.Text;
using Ledger.Core.Contracts;
using Ledger.Core.Transactions;

namespace Ledger.Client;

/// <summary>
/// The statement a party is about to sign, written out in zh-CN for the holder to read before the PIN: the action,
/// contract, version, every term, the basis or reason, every date, the document and the payload's SM3 — everything
/// the signature binds (statement v2 covers the complete payload, so nothing the chain records is left unread).
/// </summary>
public static class StatementText
{
    public static string Render(ContractStatement statement, IContractPayload payload)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(payload);
        var s = new StringBuilder();
        Line(s, "操作", $"{ActionName(statement.Action)}（{statement.Action}）");
        Line(s, "合同编号", statement.ContractId);
        Line(s, "版本", statement.Version.ToString(CultureInfo.InvariantCulture));
        switch (payload)
        {
            case RegisterPayload p:
                Line(s, "合同文本 SM3", p.DocumentHash.ToHex());
                Line(s, "文本格式", p.DocumentFormat.ToString());
                Line(s, "用人单位统一社会信用代码", p.EmployerCreditCode);
                Line(s, "劳动者化名", p.WorkerPseudonym.ToHex());
                Terms(s, p.Terms);
                break;
            case UploadPaperPayload p:
                Line(s, "纸质合同扫描件 SM3", p.ScanHash.ToHex());
                Line(s, "扫描件格式", p.ScanFormat.ToString());
                Line(s, "用人单位统一社会信用代码", p.EmployerCreditCode);
                Line(s, "劳动者化名", p.WorkerPseudonym.ToHex());
                Terms(s, p.Terms);
                Line(s, "纸质合同签订日期", Date(p.PaperSignedOn));
                Line(s, "存档编号", p.AttestationReference ?? "（无）");
                break;
            case ConfirmPaperPayload p:
                Line(s, "确认的纸质合同扫描件 SM3", p.ScanHash.ToHex());
                if (!string.IsNullOrWhiteSpace(p.AttestationReference)) Line(s, "人社部门存档编号", p.AttestationReference);
                break;
            case SignPayload p:
                Line(s, "签署的合同文本 SM3", p.DocumentHash.ToHex());
                break;
            case ChangePayload p:
                Line(s, "变更所依据的版本", p.BaseVersion.ToString(CultureInfo.InvariantCulture));
                Line(s, "新合同文本 SM3", p.DocumentHash.ToHex());
                Line(s, "文本格式", p.DocumentFormat.ToString());
                Terms(s, p.Terms);
                break;
            case RenewPayload p:
                Line(s, "续订所依据的版本", p.BaseVersion.ToString(CultureInfo.InvariantCulture));
                Line(s, "续订合同文本 SM3", p.DocumentHash.ToHex());
                Line(s, "文本格式", p.DocumentFormat.ToString());
                Terms(s, p.Terms);
                break;
            case DissolvePayload p:
                Line(s, "现行合同文本 SM3", p.DocumentHash.ToHex());
                Line(s, "解除依据", $"{BasisName(p.Basis)}（{p.Basis}）");
                if (p.ProposedBy != Proposer.Unspecified) Line(s, "提出方", p.ProposedBy == Proposer.Employer ? "用人单位" : "劳动者");
                Line(s, "解除生效日期", Date(p.EffectiveDate));
                break;
            case TerminatePayload p:
                Line(s, "现行合同文本 SM3", p.DocumentHash.ToHex());
                Line(s, "终止事由", $"{ReasonName(p.Reason)}（{p.Reason}）");
                Line(s, "终止生效日期", Date(p.EffectiveDate));
                break;
        }
        Line(s, "链", statement.ChainId);
        Line(s, "交易内容 SM3", statement.PayloadHash.ToHex());
        return s.ToString();
    }

    public static string ActionName(ContractAction action) => action switch
    {
        ContractAction.Register => "登记电子劳动合同",
        ContractAction.Sign => "签署劳动合同",
        ContractAction.Change => "变更劳动合同",
        ContractAction.Renew => "续订劳动合同",
        ContractAction.Dissolve => "解除劳动合同",
        ContractAction.Terminate => "终止劳动合同",
        ContractAction.UploadPaper => "上传纸质劳动合同",
        ContractAction.ConfirmPaper => "确认纸质劳动合同",
        _ => action.ToString(),
    };

    public static string TypeName(ContractType type) => type switch
    {
        ContractType.FixedTerm => "固定期限",
        ContractType.OpenEnded => "无固定期限",
        ContractType.TaskBased => "以完成一定工作任务为期限",
        _ => type.ToString(),
    };

    public static string BasisName(DissolutionBasis basis) => basis switch
    {
        DissolutionBasis.Art36Agreement => "第三十六条 协商一致解除",
        DissolutionBasis.Art37WorkerNotice => "第三十七条 劳动者提前三十日书面通知解除",
        DissolutionBasis.Art37WorkerNoticeInProbation => "第三十七条 劳动者试用期内提前三日通知解除",
        DissolutionBasis.Art38EmployerFault => "第三十八条第一款 因用人单位过错，劳动者解除",
        DissolutionBasis.Art38Immediate => "第三十八条第二款 劳动者立即解除",
        DissolutionBasis.Art39ProbationFailed => "第三十九条第（一）项 试用期间被证明不符合录用条件",
        DissolutionBasis.Art39SeriousViolation => "第三十九条第（二）项 严重违反用人单位的规章制度",
        DissolutionBasis.Art39Dereliction => "第三十九条第（三）项 严重失职，营私舞弊",
        DissolutionBasis.Art39ConcurrentEmployment => "第三十九条第（四）项 同时与其他用人单位建立劳动关系",
        DissolutionBasis.Art39InvalidContract => "第三十九条第（五）项 劳动合同无效",
        DissolutionBasis.Art39CriminalLiability => "第三十九条第（六）项 被依法追究刑事责任",
        DissolutionBasis.Art40Illness => "第四十条第（一）项 患病或非因工负伤不能从事工作",
        DissolutionBasis.Art40Incompetence => "第四十条第（二）项 不能胜任工作",
        DissolutionBasis.Art40ChangedCircumstances => "第四十条第（三）项 客观情况发生重大变化",
        DissolutionBasis.Art41Layoff => "第四十一条 经济性裁员",
        _ => basis.ToString(),
    };

    public static string ReasonName(TerminationReason reason) => reason switch
    {
        TerminationReason.TermExpired => "第四十四条第（一）项 劳动合同期满",
        TerminationReason.PensionStarted => "第四十四条第（二）项 劳动者开始依法享受基本养老保险待遇",
        TerminationReason.WorkerDeceased => "第四十四条第（三）项 劳动者死亡，或者被宣告死亡或失踪",
        TerminationReason.EmployerBankrupt => "第四十四条第（四）项 用人单位被依法宣告破产",
        TerminationReason.EmployerClosed => "第四十四条第（五）项 用人单位被吊销营业执照、责令关闭、撤销或提前解散",
        TerminationReason.OtherStatutory => "第四十四条第（六）项 法律、行政法规规定的其他情形",
        _ => reason.ToString(),
    };

    private static void Terms(StringBuilder s, ContractTerms t)
    {
        Line(s, "合同期限类型", TypeName(t.Type));
        Line(s, "起始日期", Date(t.Start));
        Line(s, "终止日期", t.End is { } end ? Date(end) : "（无）");
        Line(s, "试用期至", t.ProbationEnd is { } p ? Date(p) : "（无试用期）");
        Line(s, "工作地点（区划代码）", t.PlaceOfWork);
        Line(s, "行业（GB/T 4754）", t.Industry);
        Line(s, "示范文本", t.ModelTextId ?? "（无）");
    }

    private static string Date(ContractDate d) => string.Create(CultureInfo.InvariantCulture, $"{d.Year}年{d.Month}月{d.Day}日");

    private static void Line(StringBuilder s, string label, string value) => s.Append(label).Append('：').Append(value).Append('\n');
}

using System.CommandLine;
using Ledger.Core.Contracts;

namespace Ledger.Cli.Commands;

/// <summary>The terms of a contract version (register, change, renew, upload-paper), each checked as it is parsed.</summary>
internal sealed class TermsOptions
{
    private readonly Option<ContractType?> _type = CliOptions.Named<ContractType>("--type", "the contract's type (Labour Contract Law art. 12)");
    private readonly Option<ContractDate?> _start = CliOptions.Date("--start", "the first day of the term", required: true);
    private readonly Option<ContractDate?> _end = CliOptions.Date("--end", "the last day of a fixed term");
    private readonly Option<ContractDate?> _probationEnd = CliOptions.Date("--probation-end", "the last day of probation");
    private readonly Option<Core.Identity.DivisionCode?> _place = CliOptions.Division("--place", "the place of work: 12-digit division code at county level or below", required: true);
    private readonly Option<string> _industry = CliOptions.Industry("--industry", "the employer's industry (GB/T 4754-2017)");
    private readonly Option<string> _modelText = CliOptions.ContractId("--model-text", "the model contract text used, if any", required: false);

    public Option[] All => [_type, _start, _end, _probationEnd, _place, _industry, _modelText];

    public ContractTerms Terms(ParseResult parsed) => new()
    {
        Type = parsed.GetValue(_type)!.Value,
        Start = parsed.GetValue(_start)!.Value,
        End = parsed.GetValue(_end),
        ProbationEnd = parsed.GetValue(_probationEnd),
        PlaceOfWork = parsed.GetValue(_place)!.Value.Value,
        Industry = parsed.GetValue(_industry)!,
        ModelTextId = parsed.GetValue(_modelText),
    };
}

return Ledger.Cli.Commands.CommandLine.Run(args);

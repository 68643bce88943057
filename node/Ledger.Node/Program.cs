return Ledger.Node.Cli.CommandLine.Run(args);

// E2E fixtures run two at a time: most of their time is spent waiting on real processes (start-up, block intervals,
// round timeouts), not computing, so two overlap well on two cores. Each fixture makes its own devnet in its own temporary
// directory on its own free ports, and its tests run in order. A fixture that must run alone says [NonParallelizable]:
// one that changes the process's working directory or environment (the README walk-through), installs system-wide
// (the .deb), asserts on timing (the proposer kill), or kills a node right after an OK under load (SIGKILL safety).
[assembly: NUnit.Framework.Parallelizable(NUnit.Framework.ParallelScope.Fixtures)]
[assembly: NUnit.Framework.LevelOfParallelism(2)]

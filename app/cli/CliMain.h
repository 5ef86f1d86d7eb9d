#pragma once
// Headless subcommands of the latent-studio binary (no Qt, no display).
namespace latent::cli {

// Exit codes the CLI promises (README, docs/cli.md).
enum ExitCode { Ok = 0, Failure = 1, BadArguments = 2, ModelError = 3, Interrupted = 130 };

// True when argv asks for the CLI (a subcommand, --version or --help).
bool wantsCli(int argc, char** argv);
int runCli(int argc, char** argv);

}  // namespace latent::cli

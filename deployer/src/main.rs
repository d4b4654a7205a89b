//! The `nephos` command.
use clap::Parser;

/// Synthesize, diff and deploy nephos apps through CloudFormation change sets.
#[derive(Parser)]
#[command(name = "nephos", version)]
struct Cli {}

fn main() {
    let _ = Cli::parse();
}

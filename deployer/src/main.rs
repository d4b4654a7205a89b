//! The `nephos` command.

fn main() -> std::process::ExitCode {
    let code = nephos_cli::main_with(std::env::args_os());
    std::process::ExitCode::from(u8::try_from(code).unwrap_or(1))
}

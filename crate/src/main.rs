//! The `adf-troubleshooter` command: the diagnosis engine in a terminal, a script or CI.

mod cli;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(cli::run(&args));
}

//! The `adf-troubleshooter` command: the diagnosis engine in a terminal, a script or CI.

// The command line's dependencies (clap, anstream) are native only; building the package's
// tests for wasm also builds this binary, which there does nothing.
#[cfg(not(target_arch = "wasm32"))]
mod cli;

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    std::process::exit(cli::run(std::env::args_os()));
}

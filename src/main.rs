fn main() -> std::process::ExitCode {
    xfdesk::cli::main()
}

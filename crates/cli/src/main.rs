fn main() {
    let args: Vec<String> = std::env::args().collect();
    let code = nianbao_cli::run(
        &args,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    std::process::exit(code);
}

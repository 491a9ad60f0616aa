#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Huge pages cost a batch memory and system time (see Cargo.toml); when the kernel
    // refuses, the program runs as before.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    let args: Vec<String> = std::env::args().collect();
    // stderr is not held locked: the log writes to it from other threads (the warm-up,
    // the batch's workers), which would wait for the lock forever.
    let code = nianbao_cli::run(&args, &mut std::io::stdout().lock(), &mut std::io::stderr());
    std::process::exit(code);
}

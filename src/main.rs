fn main() {
    std::process::exit(sla::cli::run());
}

// mimalloc: `sla eval` is a few percent faster with its per-thread heaps than
// with glibc's malloc (benches/eval_throughput.sh; glibc's keeps RSS lower).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(sla::cli::run());
}

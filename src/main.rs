// `sla eval` reads rows on one thread and drops them on another; mimalloc
// handles that far better than glibc's malloc (see benches/eval_throughput.sh).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(sla::cli::run());
}

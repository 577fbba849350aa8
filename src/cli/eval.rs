//! `sla eval`.

use super::EvalArgs;

pub fn run(_args: &EvalArgs) -> i32 {
    eprintln!("sla eval: not built yet");
    2
}

//! How long `ccc` takes to start and print help, against starting a process
//! that does nothing (`true`), measured in one run so the ratio holds on a
//! busy machine. Run with `cargo bench -p ccc-cli --bench startup` (the goal:
//! `ccc --help` well under 50 ms with the release build).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 40;

fn median_run(program: &str, args: &[&str]) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            let status = Command::new(program)
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .unwrap_or_else(|e| panic!("{program}: {e}"));
            let elapsed = start.elapsed();
            assert!(status.success(), "{program} {args:?}: {status}");
            elapsed
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn main() {
    let ccc = env!("CARGO_BIN_EXE_ccc");
    let cases: [(&str, &[&str]); 4] = [
        ("true", &[]),
        (ccc, &["--help"]),
        (ccc, &["describe-auto-callout-tasks", "--help"]),
        (
            ccc,
            &["create-auto-callout-task", "--generate-cli-skeleton"],
        ),
    ];
    let baseline = median_run(cases[0].0, cases[0].1);
    println!(
        "{:<60} {:>9} {:>8}",
        "command (median of 40 runs)", "time", "ratio"
    );
    for (program, args) in cases {
        let time = median_run(program, args);
        let name = format!(
            "{} {}",
            program.rsplit('/').next().unwrap_or(program),
            args.join(" ")
        );
        println!(
            "{name:<60} {:>7.2}ms {:>7.1}x",
            time.as_secs_f64() * 1e3,
            time.as_secs_f64() / baseline.as_secs_f64()
        );
    }
}

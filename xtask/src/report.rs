//! Reading what a boot produced: cleaning the serial log, spotting kernel
//! problems in it, and parsing the kselftest runner's TAP output.

/// Printed by the VM's init on the console after the tests, before poweroff.
pub const DONE_MARKER: &str = "PGP-UMD-VM-DONE";

/// Remove `\r`, ANSI/VT100 escape sequences and other control characters
/// (except newline and tab) from raw serial output.
pub fn clean_log(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.peek() {
                // CSI: ESC [ parameters... final byte in 0x40..=0x7e
                Some('[') => {
                    chars.next();
                    for f in chars.by_ref() {
                        if ('\u{40}'..='\u{7e}').contains(&f) {
                            break;
                        }
                    }
                }
                // Two-character escape (ESC c, ESC 7, ...)
                Some(_) => {
                    chars.next();
                }
                None => {}
            },
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Substrings of a kernel log line that mean the kernel found a bug or hung.
const PROBLEM_MARKERS: &[&str] = &[
    "WARNING:",
    "[ cut here ]",
    "BUG:",
    "kernel BUG at",
    "Oops",
    "general protection fault",
    "Kernel panic",
    "KFENCE:",
    "UBSAN:",
    "blocked for more than",
    "soft lockup",
    "hard LOCKUP",
    "detected stall",
    "Call Trace:",
    "Poison overwritten",
    "Redzone overwritten",
    "Object padding overwritten",
    "Freepointer corrupt",
    "Object already free",
    "list_add corruption",
    "list_del corruption",
    "stack-protector",
];

/// Strip a `[   12.345678] ` printk time stamp.
fn strip_timestamp(line: &str) -> &str {
    if let Some(rest) = line.trim_start().strip_prefix('[') {
        if let Some((stamp, tail)) = rest.split_once(']') {
            if stamp.trim().chars().all(|c| c.is_ascii_digit() || c == '.') {
                return tail.trim_start();
            }
        }
    }
    line
}

/// The lines of a kernel console log that report a WARN, oops, BUG, KFENCE or
/// SLUB report, hung task, lockup or panic.
pub fn kernel_problems(log: &str) -> Vec<String> {
    log.lines()
        .filter(|l| {
            let msg = strip_timestamp(l);
            // SLUB reports start with "BUG <cache> (Tainted...): <what>".
            msg.starts_with("BUG ") || PROBLEM_MARKERS.iter().any(|m| msg.contains(m))
        })
        .map(str::to_string)
        .collect()
}

/// Result of one test in the runner's TAP output.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// `ok N name`
    Pass,
    /// `not ok N name ...`
    Fail,
    /// `ok N name # SKIP ...`
    Skip,
}

/// The top level of the runner's TAP 13 output.
#[derive(Debug, Default)]
pub struct Tap {
    /// `1..N`, if seen.
    pub plan: Option<usize>,
    /// Each test's verdict and description, in order.
    pub results: Vec<(Verdict, String)>,
}

impl Tap {
    /// Number of tests with verdict `v`.
    pub fn count(&self, v: &Verdict) -> usize {
        self.results.iter().filter(|(r, _)| r == v).count()
    }
}

/// Parse top-level TAP lines (nested test output is prefixed with `# ` by the
/// runner and ignored here).
pub fn parse_tap(text: &str) -> Tap {
    let mut tap = Tap::default();
    for line in text.lines() {
        if let Some(n) = line.strip_prefix("1..") {
            tap.plan = n.trim().parse().ok();
            continue;
        }
        let (ok, rest) = if let Some(r) = line.strip_prefix("ok ") {
            (true, r)
        } else if let Some(r) = line.strip_prefix("not ok ") {
            (false, r)
        } else {
            continue;
        };
        let desc = rest
            .split_once(' ')
            .map_or("", |(_, d)| d)
            .trim()
            .to_string();
        let directive = desc
            .split_once('#')
            .map(|(_, d)| d.trim().to_ascii_uppercase());
        let skip = directive.as_deref().is_some_and(|d| d.starts_with("SKIP"));
        let verdict = match (ok, skip) {
            (true, true) => Verdict::Skip,
            (true, false) => Verdict::Pass,
            (false, _) => Verdict::Fail,
        };
        tap.results.push((verdict, desc));
    }
    tap
}

/// What one kernel's run amounted to.
#[derive(Debug)]
pub struct Summary {
    /// Tests that passed.
    pub passed: usize,
    /// Tests that failed, plus one for each missing result of the plan.
    pub failed: usize,
    /// Tests that skipped.
    pub skipped: usize,
    /// Why the run failed besides failed tests (kernel problems, no plan,
    /// no completion marker, timeout).
    pub problems: Vec<String>,
}

impl Summary {
    /// Everything passed: no failure, no skip, no problem.
    pub fn all_passed(&self) -> bool {
        self.failed == 0 && self.skipped == 0 && self.problems.is_empty() && self.passed > 0
    }
}

/// Judge a run from the cleaned console log and the TAP output.
pub fn judge(console: &str, tap_text: &str, timed_out: bool) -> Summary {
    let tap = parse_tap(tap_text);
    let mut problems: Vec<String> = kernel_problems(console)
        .into_iter()
        .map(|l| format!("kernel log: {l}"))
        .collect();
    let passed = tap.count(&Verdict::Pass);
    let skipped = tap.count(&Verdict::Skip);
    let mut failed = tap.count(&Verdict::Fail);
    match tap.plan {
        None => problems.push("no TAP plan (1..N) from the test runner".to_string()),
        Some(n) if n > tap.results.len() => {
            problems.push(format!(
                "TAP plan 1..{n} but only {} results",
                tap.results.len()
            ));
            failed += n - tap.results.len();
        }
        Some(n) if n < tap.results.len() => {
            problems.push(format!("TAP plan 1..{n} but {} results", tap.results.len()))
        }
        Some(_) => {}
    }
    if timed_out {
        problems.push("the VM was killed at the time limit".to_string());
    }
    if !console.contains(DONE_MARKER) {
        problems.push(format!(
            "the VM never printed {DONE_MARKER} (crash, panic or hang)"
        ));
    }
    Summary {
        passed,
        failed,
        skipped,
        problems,
    }
}

/// The runner's TAP as the scripts printed it: the TAP framing goes, each
/// script's `# ` prefix is removed, a script's verdict stays as one line.
pub fn plain_text(tap_text: &str) -> String {
    let mut out = String::new();
    for line in tap_text.lines() {
        if line.starts_with("TAP version") || line.starts_with("1..") {
            continue;
        }
        if line.starts_with("# selftests: ") {
            continue;
        }
        let line = line
            .strip_prefix("# ")
            .or_else(|| line.strip_prefix('#'))
            .unwrap_or(line);
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_the_tap_framing() {
        let text = plain_text(
            "TAP version 13\n1..1\n# selftests: pgp-umd: demo.sh\n# $ keyctl show\n#\n\
# 12 --alswrv 0 0 keyring: _uid.0\nok 1 selftests: pgp-umd: demo.sh\n",
        );
        assert_eq!(
            text,
            "$ keyctl show\n\n12 --alswrv 0 0 keyring: _uid.0\nok 1 selftests: pgp-umd: demo.sh\n"
        );
    }

    const GOOD_TAP: &str = "TAP version 13\n1..3\n# selftests: pgp-umd: a.sh\n# ok 1 inner\n\
ok 1 selftests: pgp-umd: a.sh\nok 2 selftests: pgp-umd: b.sh\nok 3 selftests: pgp-umd: c.sh\n";
    const GOOD_CONSOLE: &str = "[    0.000000] Linux version 6.1\n\
[    4.1] pgpumd_smoke: loading out-of-tree module taints kernel.\n\
[    4.2] pgpumd_smoke: module verification failed: signature and/or required key missing - tainting kernel\n\
PGP-UMD-VM-DONE\n";

    #[test]
    fn cleans_serial_noise() {
        let raw = b"\x1b[?7l\x1bcok\r\n\x1b[1;31mred\x1b[0m\r\n";
        assert_eq!(clean_log(raw), "ok\nred\n");
    }

    #[test]
    fn good_run_passes() {
        let s = judge(GOOD_CONSOLE, GOOD_TAP, false);
        assert_eq!((s.passed, s.failed, s.skipped), (3, 0, 0));
        assert!(s.all_passed(), "{:?}", s.problems);
    }

    #[test]
    fn failed_and_skipped_tests_count() {
        let tap = "1..3\nok 1 a\nnot ok 2 b # exit=1\nok 3 c # SKIP no module\n";
        let s = judge(GOOD_CONSOLE, tap, false);
        assert_eq!((s.passed, s.failed, s.skipped), (1, 1, 1));
        assert!(!s.all_passed());
        let s = judge(GOOD_CONSOLE, "1..1\nok 1 c # SKIP why\n", false);
        assert!(!s.all_passed(), "a skip is not a pass");
    }

    #[test]
    fn kernel_problems_fail_an_all_ok_run() {
        for bad in [
            "[   5.1] ------------[ cut here ]------------",
            "[   5.1] WARNING: CPU: 1 PID: 99 at pgpumd_warn.c:17 init+0x1/0x2",
            "[   5.2] BUG: KASAN: use-after-free",
            "[   5.2] BUG kmalloc-64 (Tainted: G  O  E): Poison overwritten",
            "[   5.3] BUG: KFENCE: out-of-bounds read",
            "[  15.0] INFO: task modprobe:88 blocked for more than 10 seconds.",
            "[   5.4] Kernel panic - not syncing: panic_on_warn set ...",
            "[   5.5] Oops: 0000 [#1] PREEMPT SMP",
            "[   5.6] general protection fault, probably for non-canonical address",
        ] {
            let console = format!("{GOOD_CONSOLE}{bad}\n");
            let s = judge(&console, GOOD_TAP, false);
            assert!(!s.all_passed(), "not caught: {bad}");
        }
    }

    #[test]
    fn incomplete_runs_fail() {
        let s = judge(GOOD_CONSOLE, "1..3\nok 1 a\n", false);
        assert_eq!(s.failed, 2);
        assert!(!s.all_passed());
        let s = judge(GOOD_CONSOLE, "ok 1 a\n", false);
        assert!(!s.all_passed(), "no plan");
        let s = judge("no marker\n", GOOD_TAP, false);
        assert!(!s.all_passed(), "no done marker");
        let s = judge(GOOD_CONSOLE, GOOD_TAP, true);
        assert!(!s.all_passed(), "timeout");
        let s = judge(GOOD_CONSOLE, "1..0\n", false);
        assert!(!s.all_passed(), "nothing ran");
    }
}

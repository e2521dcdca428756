//! Boots a kernel + initramfs in QEMU with a wall-clock bound.

use crate::error::{Error, IoContext, Result};
use crate::util::{show, Step};
use std::fs::File;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Kernel command line every boot gets: serial console, reboot (= exit QEMU,
/// with -no-reboot) on panic, and the debug options that make faults fatal or
/// visible in stock Debian kernels.
pub const BASE_CMDLINE: &str = "console=ttyS0 panic=-1 quiet rdinit=/init";

/// Debug options of a test boot (not of a `--bench` boot, whose figures
/// should be those of a kernel as shipped): allocator poisoning and
/// red zones, WARN as panic, hung-task detection.
pub const DEBUG_CMDLINE: &str = "slub_debug=FZPU panic_on_warn=1 hung_task_timeout_secs=10";

/// One boot.
pub struct Boot {
    /// vmlinuz.
    pub kernel: PathBuf,
    /// initramfs.
    pub initrd: PathBuf,
    /// Full kernel command line.
    pub cmdline: String,
    /// Kill QEMU after this long.
    pub timeout: Duration,
    /// Where ttyS0 (kernel console) goes, raw.
    pub console: PathBuf,
    /// Where ttyS1 (the tests' TAP output) goes, raw.
    pub tap: PathBuf,
    /// QEMU's own stdout/stderr.
    pub qemu_log: PathBuf,
}

/// How a boot ended.
pub struct Outcome {
    /// QEMU was killed at the time limit.
    pub timed_out: bool,
}

impl Boot {
    /// The QEMU command line (TCG: KVM cannot boot ordinary guests here).
    pub fn command(&self) -> Command {
        let mut c = Command::new("qemu-system-x86_64");
        c.args(["-accel", "tcg", "-cpu", "max", "-smp", "2", "-m", "1G"])
            .arg("-kernel")
            .arg(&self.kernel)
            .arg("-initrd")
            .arg(&self.initrd)
            .arg("-append")
            .arg(&self.cmdline)
            .args(["-display", "none", "-no-reboot", "-nodefaults"])
            .args(["-monitor", "none"])
            .arg("-serial")
            .arg(format!("file:{}", self.console.display()))
            .arg("-serial")
            .arg(format!("file:{}", self.tap.display()));
        c
    }

    /// Boot and wait until QEMU exits (the guest powers off or panics) or the
    /// time limit passes, then kill it.
    pub fn run(&self, label: &str) -> Result<Outcome> {
        let step = Step::start(format!("boot {label} (limit {} s)", self.timeout.as_secs()));
        let log =
            File::create(&self.qemu_log).ctx(|| format!("create {}", self.qemu_log.display()))?;
        let log2 = log
            .try_clone()
            .ctx(|| format!("dup {}", self.qemu_log.display()))?;
        let mut cmd = self.command();
        cmd.stdin(Stdio::null())
            .stdout(Stdio::from(log))
            .stderr(Stdio::from(log2));
        let mut child = cmd.spawn().map_err(|e| Error::Command {
            command: show(&cmd),
            detail: e.to_string(),
        })?;
        let start = Instant::now();
        let mut timed_out = false;
        let mut next_note = PROGRESS_EVERY;
        loop {
            let done = child
                .try_wait()
                .ctx(|| "wait for qemu-system-x86_64".to_string())?;
            if done.is_some() {
                break;
            }
            if start.elapsed() > self.timeout {
                timed_out = true;
                // Already-exited races are fine: wait() below reaps either way.
                let _ = child.kill();
                child.wait().ctx(|| "reap qemu-system-x86_64".to_string())?;
                break;
            }
            if start.elapsed() >= next_note {
                // A boot under TCG takes minutes: say it is alive.
                eprintln!(
                    "    boot {label}: running, {:.0} s",
                    start.elapsed().as_secs_f64()
                );
                next_note += PROGRESS_EVERY;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let elapsed = start.elapsed();
        if timed_out {
            eprintln!(
                "    boot {label}: KILLED after {:.1} s",
                elapsed.as_secs_f64()
            );
        } else {
            step.done();
        }
        Ok(Outcome { timed_out })
    }
}

/// How often a running boot prints a progress line.
const PROGRESS_EVERY: Duration = Duration::from_secs(30);

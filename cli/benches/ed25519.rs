//! One Ed25519 verification by ed25519-dalek 2 (`verify_strict`, the
//! reference of kmod/pgp/pgp_ed25519.c's tests), on RFC 8032 section 7.1
//! TEST 2, for comparison with the C verifier timed by
//! kmod/pgp/user/ed25519_bench.c on the same vector (docs/benchmarks.md).
//!
//! `cargo bench -p pgp-umd-cli --bench ed25519 -- --warm-up-time 1 --measurement-time 5`
//!
//! The times are CPU time of the process (`CLOCK_PROCESS_CPUTIME_ID`, as in
//! the C bench), so that other load on a shared machine shows less in them.

use criterion::Criterion;
use ed25519_dalek::{Signature, VerifyingKey};
use std::hint::black_box;
use std::time::Duration;

/// CPU time used by this process so far.
fn cpu_time() -> Duration {
    use rustix::time::{clock_gettime, ClockId};
    let t = clock_gettime(ClockId::ProcessCPUTime);
    Duration::new(
        u64::try_from(t.tv_sec).expect("non-negative"),
        u32::try_from(t.tv_nsec).expect("below 10^9"),
    )
}

fn hex<const N: usize>(s: &str) -> [u8; N] {
    let v: Vec<u8> = (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect();
    v.try_into().expect("length")
}

fn main() {
    let key: [u8; 32] = hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
    let sig: [u8; 64] = hex(concat!(
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da",
        "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
    ));
    let msg = [0x72u8];
    let sig = Signature::from_bytes(&sig);
    let mut c = Criterion::default().configure_from_args();
    // Key decoding included, as the C verifier decodes the key each call.
    c.bench_function("dalek verify_strict (with key decoding)", |b| {
        b.iter_custom(|iters| {
            let start = cpu_time();
            for _ in 0..iters {
                let k = VerifyingKey::from_bytes(black_box(&key)).expect("key");
                k.verify_strict(black_box(&msg), black_box(&sig))
                    .expect("verifies");
            }
            cpu_time() - start
        })
    });
    c.final_summary();
}

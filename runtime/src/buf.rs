//! Take-once static buffers: all request and reply memory lives in `.bss`,
//! reserved by the loader before `main`, never allocated.

use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, Ordering};

/// A zero-initialised, 64-byte-aligned `[u8; N]` in static memory that can be
/// borrowed mutably exactly once for the life of the process.
///
/// ```
/// use umd_runtime::StaticBuf;
/// static PAYLOAD: StaticBuf<4096> = StaticBuf::new();
/// let buf: &'static mut [u8; 4096] = PAYLOAD.take().expect("first take");
/// assert!(PAYLOAD.take().is_none());
/// buf[0] = 1;
/// ```
#[repr(C, align(64))]
pub struct StaticBuf<const N: usize> {
    bytes: UnsafeCell<[u8; N]>,
    taken: AtomicBool,
}

// SAFETY: the only access to `bytes` is through `take`, which hands out at
// most one `&mut` for the whole life of the static (guarded by the atomic
// swap), so no two threads can ever reach the bytes at the same time.
unsafe impl<const N: usize> Sync for StaticBuf<N> {}

impl<const N: usize> StaticBuf<N> {
    /// A zeroed buffer; usable in a `static` initialiser (lands in `.bss`).
    pub const fn new() -> Self {
        StaticBuf {
            bytes: UnsafeCell::new([0; N]),
            taken: AtomicBool::new(false),
        }
    }

    /// The buffer, the first time only; `None` afterwards.
    // A `&mut` from `&self` is sound here: the take-once flag makes it unique.
    #[allow(clippy::mut_from_ref)]
    pub fn take(&'static self) -> Option<&'static mut [u8; N]> {
        if self.taken.swap(true, Ordering::AcqRel) {
            return None;
        }
        // SAFETY: the swap above returned `false` exactly once, so this is
        // the only reference ever created to the bytes; they live in a
        // `'static` and are initialised (zeroed) by `new`.
        Some(unsafe { &mut *self.bytes.get() })
    }
}

impl<const N: usize> Default for StaticBuf<N> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_once_aligned_zeroed() {
        static B: StaticBuf<100> = StaticBuf::new();
        let b = B.take().expect("first");
        assert!(b.iter().all(|&x| x == 0));
        assert_eq!(b.as_ptr() as usize % 64, 0);
        assert!(B.take().is_none());
    }
}

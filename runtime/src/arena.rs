//! A bounded bump allocator over a static buffer.
//!
//! It never calls `brk` or `mmap`: memory comes only from the static array,
//! which lives in `.bss`. Freeing the most recent allocation gives its bytes
//! back (stack-like reuse, enough for temporary allocations inside one
//! request); any other free is a no-op. When the array is exhausted the
//! allocator either returns null ([`OnExhaustion::Null`], the `GlobalAlloc`
//! contract: std then reports the failure and aborts, which under the seccomp
//! filter ends by `SIGSYS`) or ends the process at once with
//! [`crate::ExitStatus::OutOfMemory`] ([`OnExhaustion::Exit`]).
//!
//! Handlers choose to install it:
//! ```no_run
//! #[global_allocator]
//! static ARENA: umd_runtime::BumpArena<{ 64 * 1024 }> =
//!     umd_runtime::BumpArena::new(umd_runtime::OnExhaustion::Exit);
//! fn main() {}
//! ```

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicUsize, Ordering};

/// What [`BumpArena`] does when a request does not fit.
///
/// `Exit` is the zero value on purpose: an arena whose every byte is zero is
/// placed in `.bss` and costs no file size, whereas an arena built with
/// `Null` is placed in `.data` and adds its `N` bytes to the binary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(u8)]
pub enum OnExhaustion {
    /// End the process with [`crate::ExitStatus::OutOfMemory`].
    #[default]
    Exit = 0,
    /// Return null, as `GlobalAlloc` allows.
    Null = 1,
}

/// Counters of a [`BumpArena`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArenaStats {
    /// Capacity in bytes.
    pub capacity: usize,
    /// Bytes in use now (including alignment padding).
    pub used: usize,
    /// Most bytes ever in use.
    pub peak: usize,
    /// Successful allocations so far (including reallocations that moved).
    pub allocations: usize,
    /// Allocations refused for lack of space.
    pub failures: usize,
}

/// A `#[global_allocator]`-able bump arena of `N` bytes in static memory.
#[repr(C, align(4096))]
pub struct BumpArena<const N: usize> {
    bytes: UnsafeCell<[u8; N]>,
    /// Offset of the first free byte.
    top: AtomicUsize,
    peak: AtomicUsize,
    allocations: AtomicUsize,
    failures: AtomicUsize,
    on_exhaustion: OnExhaustion,
}

// SAFETY: the bytes are only handed out as disjoint ranges reserved by an
// atomic compare-exchange on `top`, so no two owners ever share a byte.
unsafe impl<const N: usize> Sync for BumpArena<N> {}

impl<const N: usize> BumpArena<N> {
    /// An empty arena; usable in a `static` initialiser (lands in `.bss`).
    pub const fn new(on_exhaustion: OnExhaustion) -> Self {
        BumpArena {
            bytes: UnsafeCell::new([0; N]),
            top: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            allocations: AtomicUsize::new(0),
            failures: AtomicUsize::new(0),
            on_exhaustion,
        }
    }

    /// Current counters.
    pub fn stats(&self) -> ArenaStats {
        ArenaStats {
            capacity: N,
            used: self.top.load(Ordering::Relaxed),
            peak: self.peak.load(Ordering::Relaxed),
            allocations: self.allocations.load(Ordering::Relaxed),
            failures: self.failures.load(Ordering::Relaxed),
        }
    }

    fn base(&self) -> usize {
        self.bytes.get() as usize
    }

    /// Reserves `layout` and returns its offset in the array, or `None`.
    fn reserve(&self, layout: Layout) -> Option<usize> {
        let base = self.base();
        let mut top = self.top.load(Ordering::Relaxed);
        loop {
            // Align the absolute address, not the offset.
            let addr = base.checked_add(top)?;
            let aligned = addr.checked_add(layout.align() - 1)? & !(layout.align() - 1);
            let start = aligned - base;
            let end = start.checked_add(layout.size())?;
            if end > N {
                return None;
            }
            match self
                .top
                .compare_exchange_weak(top, end, Ordering::AcqRel, Ordering::Relaxed)
            {
                Ok(_) => {
                    self.peak.fetch_max(end, Ordering::Relaxed);
                    self.allocations.fetch_add(1, Ordering::Relaxed);
                    return Some(start);
                }
                Err(now) => top = now,
            }
        }
    }
}

// SAFETY: `alloc` returns either null or a pointer to `layout.size()` bytes
// inside the static array, aligned to `layout.align()`, reserved by
// `reserve` for this caller alone until it is deallocated; `dealloc` only
// moves `top` back when the freed block is the last one, so live blocks are
// never handed out twice.
unsafe impl<const N: usize> GlobalAlloc for BumpArena<N> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match self.reserve(layout) {
            // SAFETY: `start + size <= N`, so the pointer is in bounds of the array.
            Some(start) => unsafe { self.bytes.get().cast::<u8>().add(start) },
            None => {
                self.failures.fetch_add(1, Ordering::Relaxed);
                match self.on_exhaustion {
                    OnExhaustion::Null => core::ptr::null_mut(),
                    OnExhaustion::Exit => crate::exit::fatal(
                        crate::ExitStatus::OutOfMemory,
                        b"umd-runtime: static arena exhausted\n",
                    ),
                }
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let start = (ptr as usize).wrapping_sub(self.base());
        let end = start.wrapping_add(layout.size());
        // Give the bytes back only if this is the most recent block; a racing
        // allocation makes the exchange fail and the bytes stay used.
        let _ = self
            .top
            .compare_exchange(end, start, Ordering::AcqRel, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bump_align_reuse_and_exhaustion() {
        static A: BumpArena<1024> = BumpArena::new(OnExhaustion::Null);
        let l8 = Layout::from_size_align(10, 8).expect("layout");
        // SAFETY: the layouts are non-zero-sized; blocks are freed with their layouts.
        unsafe {
            let p = A.alloc(l8);
            assert!(!p.is_null());
            assert_eq!(p as usize % 8, 0);
            let q = A.alloc(Layout::from_size_align(1, 256).expect("layout"));
            assert_eq!(q as usize % 256, 0);
            assert!(q as usize >= p as usize + 10);
            let used = A.stats().used;
            A.dealloc(q, Layout::from_size_align(1, 256).expect("layout"));
            assert!(A.stats().used < used, "last block is given back");
            let big = A.alloc(Layout::from_size_align(2000, 1).expect("layout"));
            assert!(big.is_null());
            let s = A.stats();
            assert_eq!(s.failures, 1);
            assert_eq!(s.allocations, 2);
            assert!(s.peak <= 1024);
            // `q`'s alignment padding stays used: `p` is not the last block.
            A.dealloc(p, l8);
            assert_eq!(A.stats().used, 256);
            let fill = A.alloc(Layout::from_size_align(768, 1).expect("layout"));
            assert!(!fill.is_null(), "the whole array is usable");
            assert_eq!(A.stats().used, 1024);
        }
    }
}

//! Machine-readable description of the wire layout.
//!
//! Every wire struct and constant is declared through the macros below, which
//! also record its C name, size, alignment and field offsets. The layout test
//! compiles a C program against `kmod/include/pgp_umd_proto.h` and compares
//! every recorded figure with what the C compiler computes, so the two sides
//! cannot drift apart silently.

/// One field of a wire struct as the C header must declare it.
#[derive(Debug, Clone, Copy)]
pub struct FieldLayout {
    pub name: &'static str,
    pub offset: usize,
    pub size: usize,
}

/// One wire struct: its C tag name (`struct <c_name>`) and field layout.
#[derive(Debug, Clone, Copy)]
pub struct StructLayout {
    pub c_name: &'static str,
    pub size: usize,
    pub align: usize,
    pub fields: &'static [FieldLayout],
}

/// One constant as the C header must `#define` (or enumerate) it.
#[derive(Debug, Clone, Copy)]
pub struct ConstLayout {
    pub c_name: &'static str,
    pub value: u64,
}

/// Declares `#[repr(C)]` wire structs that zerocopy proves free of padding,
/// and a `STRUCTS` table describing them for the C layout test.
macro_rules! wire_structs {
    ($(
        $(#[$meta:meta])*
        pub struct $name:ident as $cname:literal {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty ),* $(,)?
        }
    )*) => {
        $(
            $(#[$meta])*
            #[repr(C)]
            #[derive(
                Clone, Copy, Debug, PartialEq, Eq,
                zerocopy::IntoBytes, zerocopy::FromBytes,
                zerocopy::KnownLayout, zerocopy::Immutable,
            )]
            pub struct $name {
                $( $(#[$fmeta])* pub $field: $ty ),*
            }
        )*

        /// Layout of every wire struct, for the C header cross-check.
        pub const STRUCTS: &[$crate::layout::StructLayout] = &[$(
            $crate::layout::StructLayout {
                c_name: $cname,
                size: core::mem::size_of::<$name>(),
                align: core::mem::align_of::<$name>(),
                fields: &[$(
                    $crate::layout::FieldLayout {
                        name: stringify!($field),
                        offset: core::mem::offset_of!($name, $field),
                        size: core::mem::size_of::<$ty>(),
                    }
                ),*],
            }
        ),*];
    };
}

/// Declares typed constants and a table of their C names and values.
macro_rules! wire_consts {
    ($table:ident; $(
        $(#[$meta:meta])* pub const $name:ident : $ty:ty = $value:expr => $cname:literal;
    )*) => {
        $( $(#[$meta])* pub const $name: $ty = $value; )*

        /// C name and value of each constant above, for the C header cross-check.
        pub const $table: &[$crate::layout::ConstLayout] = &[$(
            $crate::layout::ConstLayout { c_name: $cname, value: $name as u64 }
        ),*];
    };
}

/// Declares a closed `#[repr($repr)]` enum with stable numeric values, a
/// checked conversion from the raw number, and a table of C names.
macro_rules! closed_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident : $repr:ty as $table:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal => $cname:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr($repr)]
        pub enum $name {
            $( $(#[$vmeta])* $variant = $value, )*
        }

        impl $name {
            /// Every value, in numeric order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The variant with this wire value, if there is one.
            pub const fn from_raw(raw: $repr) -> Option<Self> {
                match raw {
                    $( $value => Some($name::$variant), )*
                    _ => None,
                }
            }

            /// The wire value.
            pub const fn raw(self) -> $repr {
                self as $repr
            }

            /// The C enumerator name.
            pub const fn c_name(self) -> &'static str {
                match self {
                    $( $name::$variant => $cname, )*
                }
            }
        }

        /// C name and value of each variant, for the C header cross-check.
        pub const $table: &[$crate::layout::ConstLayout] = &[$(
            $crate::layout::ConstLayout { c_name: $cname, value: $value as u64 }
        ),*];
    };
}

pub(crate) use {closed_enum, wire_consts, wire_structs};

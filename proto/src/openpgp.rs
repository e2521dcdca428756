//! OpenPGP numbers (RFC 9580) that both sides of the protocol interpret.
//!
//! They are part of the C header so the kernel's checks and the handler's
//! classifications use the same values.

use crate::layout::wire_consts;

wire_consts! { OPENPGP_CONSTANTS;
    // Packet type ids (RFC 9580 §5).
    pub const TAG_SIGNATURE: u8 = 2 => "PGP_TAG_SIGNATURE";
    pub const TAG_SECRET_KEY: u8 = 5 => "PGP_TAG_SECRET_KEY";
    pub const TAG_PUBLIC_KEY: u8 = 6 => "PGP_TAG_PUBLIC_KEY";
    pub const TAG_SECRET_SUBKEY: u8 = 7 => "PGP_TAG_SECRET_SUBKEY";
    pub const TAG_MARKER: u8 = 10 => "PGP_TAG_MARKER";
    pub const TAG_TRUST: u8 = 12 => "PGP_TAG_TRUST";
    pub const TAG_USER_ID: u8 = 13 => "PGP_TAG_USER_ID";
    pub const TAG_PUBLIC_SUBKEY: u8 = 14 => "PGP_TAG_PUBLIC_SUBKEY";
    pub const TAG_USER_ATTRIBUTE: u8 = 17 => "PGP_TAG_USER_ATTRIBUTE";
    pub const TAG_PADDING: u8 = 21 => "PGP_TAG_PADDING";
    /// First and last packet type ids that are non-critical (RFC 9580
    /// §4.3: unassigned non-critical, then private or experimental): a
    /// certificate may carry them and they are ignored.
    pub const FIRST_NONCRITICAL_TAG: u8 = 40 => "PGP_FIRST_NONCRITICAL_TAG";
    pub const LAST_NONCRITICAL_TAG: u8 = 63 => "PGP_LAST_NONCRITICAL_TAG";

    // Public-key algorithm ids (RFC 9580 §9.1).
    pub const PK_RSA: u8 = 1 => "PGP_PK_RSA";
    pub const PK_RSA_ENCRYPT_ONLY: u8 = 2 => "PGP_PK_RSA_ENCRYPT_ONLY";
    pub const PK_RSA_SIGN_ONLY: u8 = 3 => "PGP_PK_RSA_SIGN_ONLY";
    pub const PK_ELGAMAL: u8 = 16 => "PGP_PK_ELGAMAL";
    pub const PK_DSA: u8 = 17 => "PGP_PK_DSA";
    pub const PK_ECDH: u8 = 18 => "PGP_PK_ECDH";
    pub const PK_ECDSA: u8 = 19 => "PGP_PK_ECDSA";
    pub const PK_ELGAMAL_SIGN: u8 = 20 => "PGP_PK_ELGAMAL_SIGN";
    pub const PK_EDDSA_LEGACY: u8 = 22 => "PGP_PK_EDDSA_LEGACY";
    pub const PK_X25519: u8 = 25 => "PGP_PK_X25519";
    pub const PK_X448: u8 = 26 => "PGP_PK_X448";
    pub const PK_ED25519: u8 = 27 => "PGP_PK_ED25519";
    pub const PK_ED448: u8 = 28 => "PGP_PK_ED448";

    // Hash algorithm ids (RFC 9580 §9.5).
    pub const HASH_MD5: u8 = 1 => "PGP_HASH_MD5";
    pub const HASH_SHA1: u8 = 2 => "PGP_HASH_SHA1";
    pub const HASH_RIPEMD160: u8 = 3 => "PGP_HASH_RIPEMD160";
    pub const HASH_SHA256: u8 = 8 => "PGP_HASH_SHA256";
    pub const HASH_SHA384: u8 = 9 => "PGP_HASH_SHA384";
    pub const HASH_SHA512: u8 = 10 => "PGP_HASH_SHA512";
    pub const HASH_SHA224: u8 = 11 => "PGP_HASH_SHA224";
    pub const HASH_SHA3_256: u8 = 12 => "PGP_HASH_SHA3_256";
    pub const HASH_SHA3_512: u8 = 14 => "PGP_HASH_SHA3_512";

    // Signature types (RFC 9580 §5.2.1).
    pub const SIG_BINARY: u8 = 0x00 => "PGP_SIG_BINARY";
    pub const SIG_TEXT: u8 = 0x01 => "PGP_SIG_TEXT";
    pub const SIG_CERT_GENERIC: u8 = 0x10 => "PGP_SIG_CERT_GENERIC";
    pub const SIG_CERT_POSITIVE: u8 = 0x13 => "PGP_SIG_CERT_POSITIVE";
    pub const SIG_SUBKEY_BINDING: u8 = 0x18 => "PGP_SIG_SUBKEY_BINDING";
    pub const SIG_PRIMARY_KEY_BINDING: u8 = 0x19 => "PGP_SIG_PRIMARY_KEY_BINDING";
    pub const SIG_DIRECT_KEY: u8 = 0x1F => "PGP_SIG_DIRECT_KEY";
    pub const SIG_KEY_REVOCATION: u8 = 0x20 => "PGP_SIG_KEY_REVOCATION";
    pub const SIG_SUBKEY_REVOCATION: u8 = 0x28 => "PGP_SIG_SUBKEY_REVOCATION";
    pub const SIG_CERT_REVOCATION: u8 = 0x30 => "PGP_SIG_CERT_REVOCATION";

    // Signature subpacket types (RFC 9580 §5.2.3.7), without the critical bit.
    pub const SUBPACKET_CREATION_TIME: u8 = 2 => "PGP_SUBPACKET_CREATION_TIME";
    pub const SUBPACKET_EXPIRATION_TIME: u8 = 3 => "PGP_SUBPACKET_EXPIRATION_TIME";
    pub const SUBPACKET_KEY_EXPIRATION_TIME: u8 = 9 => "PGP_SUBPACKET_KEY_EXPIRATION_TIME";
    pub const SUBPACKET_ISSUER_KEY_ID: u8 = 16 => "PGP_SUBPACKET_ISSUER_KEY_ID";
    pub const SUBPACKET_PRIMARY_USER_ID: u8 = 25 => "PGP_SUBPACKET_PRIMARY_USER_ID";
    pub const SUBPACKET_KEY_FLAGS: u8 = 27 => "PGP_SUBPACKET_KEY_FLAGS";
    pub const SUBPACKET_REVOCATION_REASON: u8 = 29 => "PGP_SUBPACKET_REVOCATION_REASON";
    pub const SUBPACKET_EMBEDDED_SIGNATURE: u8 = 32 => "PGP_SUBPACKET_EMBEDDED_SIGNATURE";
    pub const SUBPACKET_ISSUER_FINGERPRINT: u8 = 33 => "PGP_SUBPACKET_ISSUER_FINGERPRINT";
    /// Bit of the subpacket type octet that marks it critical.
    pub const SUBPACKET_CRITICAL: u8 = 0x80 => "PGP_SUBPACKET_CRITICAL";

    // Key flags (first octet of subpacket 27).
    pub const KEY_FLAG_CERTIFY: u8 = 0x01 => "PGP_KEY_FLAG_CERTIFY";
    pub const KEY_FLAG_SIGN: u8 = 0x02 => "PGP_KEY_FLAG_SIGN";
    pub const KEY_FLAG_ENCRYPT_COMMS: u8 = 0x04 => "PGP_KEY_FLAG_ENCRYPT_COMMS";
    pub const KEY_FLAG_ENCRYPT_STORAGE: u8 = 0x08 => "PGP_KEY_FLAG_ENCRYPT_STORAGE";
    pub const KEY_FLAG_AUTHENTICATE: u8 = 0x20 => "PGP_KEY_FLAG_AUTHENTICATE";
}

/// Curve OIDs (RFC 9580 §9.2), without the length octet.
pub mod oid {
    pub const NIST_P256: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
    pub const NIST_P384: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x22];
    pub const NIST_P521: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x23];
    pub const BRAINPOOL_P256: &[u8] = &[0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x07];
    pub const BRAINPOOL_P384: &[u8] = &[0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0B];
    pub const BRAINPOOL_P512: &[u8] = &[0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0D];
    pub const ED25519_LEGACY: &[u8] = &[0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01];
    pub const CURVE25519_LEGACY: &[u8] =
        &[0x2B, 0x06, 0x01, 0x04, 0x01, 0x97, 0x55, 0x01, 0x05, 0x01];
    pub const SECP256K1: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x0A];
}

/// The curve an OID names.
pub fn curve_of_oid(oid_bytes: &[u8]) -> crate::Curve {
    use crate::Curve;
    match oid_bytes {
        oid::NIST_P256 => Curve::NistP256,
        oid::NIST_P384 => Curve::NistP384,
        oid::NIST_P521 => Curve::NistP521,
        oid::BRAINPOOL_P256 => Curve::BrainpoolP256,
        oid::BRAINPOOL_P384 => Curve::BrainpoolP384,
        oid::BRAINPOOL_P512 => Curve::BrainpoolP512,
        oid::ED25519_LEGACY => Curve::Ed25519Legacy,
        oid::CURVE25519_LEGACY => Curve::Curve25519Legacy,
        oid::SECP256K1 => Curve::Secp256k1,
        _ => Curve::Unknown,
    }
}

/// Salt size of a v6 signature for a hash algorithm (RFC 9580 §9.5), if known.
pub fn v6_salt_len(hash_algo: u8) -> Option<usize> {
    match hash_algo {
        HASH_SHA256 | HASH_SHA224 | HASH_SHA3_256 => Some(16),
        HASH_SHA384 => Some(24),
        HASH_SHA512 | HASH_SHA3_512 => Some(32),
        _ => None,
    }
}

/// The layout of an algorithm's public key material, as a list of field kinds
/// with the fixed size of native fields.
pub fn key_field_kinds(pk_algo: u8) -> Option<&'static [(crate::FieldKind, usize)]> {
    use crate::FieldKind::{Kdf, Mpi, Native, Oid};
    Some(match pk_algo {
        PK_RSA | PK_RSA_ENCRYPT_ONLY | PK_RSA_SIGN_ONLY => &[(Mpi, 0), (Mpi, 0)],
        PK_DSA => &[(Mpi, 0), (Mpi, 0), (Mpi, 0), (Mpi, 0)],
        PK_ELGAMAL | PK_ELGAMAL_SIGN => &[(Mpi, 0), (Mpi, 0), (Mpi, 0)],
        PK_ECDSA | PK_EDDSA_LEGACY => &[(Oid, 0), (Mpi, 0)],
        PK_ECDH => &[(Oid, 0), (Mpi, 0), (Kdf, 0)],
        PK_X25519 | PK_ED25519 => &[(Native, 32)],
        PK_X448 => &[(Native, 56)],
        PK_ED448 => &[(Native, 57)],
        _ => return None,
    })
}

/// The layout of an algorithm's signature values.
pub fn sig_value_kinds(pk_algo: u8) -> Option<&'static [(crate::FieldKind, usize)]> {
    use crate::FieldKind::{Mpi, Native};
    Some(match pk_algo {
        PK_RSA | PK_RSA_SIGN_ONLY => &[(Mpi, 0)],
        PK_DSA | PK_ECDSA | PK_EDDSA_LEGACY | PK_ELGAMAL_SIGN => &[(Mpi, 0), (Mpi, 0)],
        PK_ED25519 => &[(Native, 64)],
        PK_ED448 => &[(Native, 114)],
        _ => return None,
    })
}

/// What a signature binds, from its type and the component it follows
/// (`None` for a signature given on its own). `embedded` is true for a
/// signature inside an embedded-signature subpacket.
pub fn sig_role(sig_type: u8, target: Option<crate::PacketRole>, embedded: bool) -> crate::SigRole {
    use crate::{PacketRole, SigRole};
    if embedded {
        return match sig_type {
            SIG_PRIMARY_KEY_BINDING => SigRole::PrimaryKeyBinding,
            _ => SigRole::Other,
        };
    }
    match (target, sig_type) {
        (None, _) => SigRole::Data,
        (Some(PacketRole::PrimaryKey), SIG_DIRECT_KEY) => SigRole::DirectKey,
        (Some(PacketRole::PrimaryKey), SIG_KEY_REVOCATION) => SigRole::KeyRevocation,
        (
            Some(PacketRole::UserId | PacketRole::UserAttribute),
            SIG_CERT_GENERIC..=SIG_CERT_POSITIVE,
        ) => SigRole::Certification,
        (Some(PacketRole::UserId | PacketRole::UserAttribute), SIG_CERT_REVOCATION) => {
            SigRole::CertRevocation
        }
        (Some(PacketRole::Subkey), SIG_SUBKEY_BINDING) => SigRole::SubkeyBinding,
        (Some(PacketRole::Subkey), SIG_SUBKEY_REVOCATION) => SigRole::SubkeyRevocation,
        _ => SigRole::Other,
    }
}

/// The role a packet type plays in a certificate, or `None` when the type is
/// not allowed in one.
pub fn packet_role(tag: u8) -> Option<crate::PacketRole> {
    use crate::PacketRole;
    Some(match tag {
        TAG_PUBLIC_KEY => PacketRole::PrimaryKey,
        TAG_PUBLIC_SUBKEY => PacketRole::Subkey,
        TAG_USER_ID => PacketRole::UserId,
        TAG_USER_ATTRIBUTE => PacketRole::UserAttribute,
        TAG_SIGNATURE => PacketRole::Signature,
        TAG_MARKER | TAG_TRUST | TAG_PADDING => PacketRole::Ignored,
        _ => return None,
    })
}

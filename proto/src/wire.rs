//! The wire format: constants, closed enums and fixed-layout structs.
//!
//! Native endianness (kernel and handler run on the same machine). Every
//! struct is `#[repr(C)]` with explicit reserved fields; zerocopy's derives
//! refuse to compile a struct with implicit padding. Unused table entries and
//! reserved fields are zero.

use crate::layout::{closed_enum, wire_consts, wire_structs};
use zerocopy::{FromBytes, IntoBytes};

wire_consts! { CONSTANTS;
    /// First field of every request and reply: "PGPU" read as a little-endian u32.
    pub const MAGIC: u32 = 0x5550_4750 => "PGP_UMD_MAGIC";
    /// Protocol version; bumped on any incompatible change.
    pub const VERSION: u16 = 3 => "PGP_UMD_VERSION";
    /// Largest payload a request may carry, in bytes: add_key(2)'s own
    /// payload limit (1 MiB - 1), so no certificate the kernel could be
    /// given is too large for the protocol.
    pub const MAX_PAYLOAD: u32 = 1024 * 1024 - 1 => "PGP_UMD_MAX_PAYLOAD";
    /// Rows of the packet table: mapped packets plus runs of skipped ones.
    pub const MAX_PACKETS: usize = 512 => "PGP_UMD_MAX_PACKETS";
    /// Rows of the key table: the primary key plus its subkeys.
    pub const MAX_KEYS: usize = 64 => "PGP_UMD_MAX_KEYS";
    /// Subkeys in one certificate.
    pub const MAX_SUBKEYS: usize = MAX_KEYS - 1 => "PGP_UMD_MAX_SUBKEYS";
    /// Mapped user id and user attribute packets in one certificate (those
    /// with only third-party signatures are skipped and not counted).
    pub const MAX_USER_IDS: usize = 128 => "PGP_UMD_MAX_USER_IDS";
    /// Rows of the signature table: mapped signature packets (self-signatures,
    /// bindings, revocations, signatures without an issuer) plus embedded ones.
    pub const MAX_SIGNATURES: usize = 256 => "PGP_UMD_MAX_SIGNATURES";
    /// Rows of the subpacket table, shared by all signature areas.
    pub const MAX_SUBPACKETS: usize = 2048 => "PGP_UMD_MAX_SUBPACKETS";
    /// Subpackets in one hashed or unhashed area.
    pub const MAX_SUBPACKETS_PER_AREA: usize = 64 => "PGP_UMD_MAX_SUBPACKETS_PER_AREA";
    /// Key material fields of one key (DSA has the most: p, q, g, y).
    pub const MAX_KEY_FIELDS: usize = 4 => "PGP_UMD_MAX_KEY_FIELDS";
    /// Signature value fields of one signature (r and s).
    pub const MAX_SIG_VALUES: usize = 2 => "PGP_UMD_MAX_SIG_VALUES";
    /// Embedded signatures inside embedded signatures are refused.
    pub const MAX_EMBED_DEPTH: usize = 1 => "PGP_UMD_MAX_EMBED_DEPTH";
    /// Signature rows of the short reply: the signature and embedded ones.
    pub const SHORT_MAX_SIGNATURES: usize = 4 => "PGP_UMD_SHORT_MAX_SIGNATURES";
    /// Subpacket rows of the short reply: two full areas.
    pub const SHORT_MAX_SUBPACKETS: usize = 2 * MAX_SUBPACKETS_PER_AREA
        => "PGP_UMD_SHORT_MAX_SUBPACKETS";
    /// First field of a verification request written to the securityfs
    /// file (docs/kernel-api.md): "PGPV" read as a little-endian u32.
    pub const VERIFY_MAGIC: u32 = 0x5650_4750 => "PGP_UMD_VERIFY_MAGIC";
    /// Version of the verification request layout.
    pub const VERIFY_VERSION: u32 = 1 => "PGP_UMD_VERIFY_VERSION";
    /// Largest signed data one verification request may carry.
    pub const VERIFY_MAX_DATA: u32 = 64 * 1024 * 1024 => "PGP_UMD_VERIFY_MAX_DATA";
    /// Table index meaning "no entry".
    pub const NONE: u16 = 0xFFFF => "PGP_UMD_NONE";
    /// Packet header format: OpenPGP ("new") format.
    pub const FORMAT_OPENPGP: u8 = 0 => "PGP_UMD_FORMAT_OPENPGP";
    /// Packet header format: legacy ("old") format.
    pub const FORMAT_LEGACY: u8 = 1 => "PGP_UMD_FORMAT_LEGACY";
}

closed_enum! {
    /// Request operations.
    pub enum Op: u16 as OPS {
        /// No payload; the reply says the handler is alive and speaks this version.
        Health = 1 => "PGP_UMD_OP_HEALTH",
        /// The payload is one transferable public key (binary).
        ParseKey = 2 => "PGP_UMD_OP_PARSE_KEY",
        /// The payload is exactly one signature packet (binary), v3, v4 or v6.
        ParseSignature = 3 => "PGP_UMD_OP_PARSE_SIGNATURE",
    }
}

closed_enum! {
    /// Reply status. Values are stable; new ones are only ever appended.
    pub enum Status: u32 as STATUSES {
        Ok = 0 => "PGP_UMD_STATUS_OK",
        // Framing: the request itself is unusable.
        BadMagic = 1 => "PGP_UMD_STATUS_BAD_MAGIC",
        BadVersion = 2 => "PGP_UMD_STATUS_BAD_VERSION",
        UnknownOp = 3 => "PGP_UMD_STATUS_UNKNOWN_OP",
        BadFlags = 4 => "PGP_UMD_STATUS_BAD_FLAGS",
        PayloadTooLarge = 5 => "PGP_UMD_STATUS_PAYLOAD_TOO_LARGE",
        EmptyPayload = 6 => "PGP_UMD_STATUS_EMPTY_PAYLOAD",
        // Packet framing.
        /// A packet extends past the end of the payload.
        Truncated = 7 => "PGP_UMD_STATUS_TRUNCATED",
        /// Tag octet without bit 7, reserved tag 0, legacy indeterminate length.
        BadPacketHeader = 8 => "PGP_UMD_STATUS_BAD_PACKET_HEADER",
        /// Partial body length on a packet that may not use it.
        PartialLength = 9 => "PGP_UMD_STATUS_PARTIAL_LENGTH",
        // Packet contents.
        /// Version 2 or 3 key packet: obsolete, not supported.
        V3Key = 10 => "PGP_UMD_STATUS_V3_KEY",
        UnknownKeyVersion = 11 => "PGP_UMD_STATUS_UNKNOWN_KEY_VERSION",
        UnknownSignatureVersion = 12 => "PGP_UMD_STATUS_UNKNOWN_SIGNATURE_VERSION",
        /// An MPI runs past its packet, or its bit count is not exact.
        BadMpi = 13 => "PGP_UMD_STATUS_BAD_MPI",
        /// Curve OID, native key, v6 material count, KDF or trailing bytes.
        BadKeyMaterial = 14 => "PGP_UMD_STATUS_BAD_KEY_MATERIAL",
        /// Signature structure: area counts, v3 hashed length, v6 salt, trailing bytes.
        BadSignature = 15 => "PGP_UMD_STATUS_BAD_SIGNATURE",
        /// Zero-length subpacket, subpacket past its area, bad embedded signature.
        BadSubpacket = 16 => "PGP_UMD_STATUS_BAD_SUBPACKET",
        // Certificate grammar.
        /// A packet type not allowed here, or in the wrong place.
        UnexpectedPacket = 17 => "PGP_UMD_STATUS_UNEXPECTED_PACKET",
        /// The key payload holds more than one certificate.
        MultipleCertificates = 18 => "PGP_UMD_STATUS_MULTIPLE_CERTIFICATES",
        /// The key payload does not start with a public-key packet.
        NotACertificate = 19 => "PGP_UMD_STATUS_NOT_A_CERTIFICATE",
        /// The signature payload does not start with a signature packet.
        NotASignature = 20 => "PGP_UMD_STATUS_NOT_A_SIGNATURE",
        /// The signature payload holds more than the one signature packet.
        TrailingData = 21 => "PGP_UMD_STATUS_TRAILING_DATA",
        /// A secret-key packet: never accepted.
        SecretKey = 22 => "PGP_UMD_STATUS_SECRET_KEY",
        // Bounds: the input is valid but larger than this protocol maps.
        TooManyPackets = 23 => "PGP_UMD_STATUS_TOO_MANY_PACKETS",
        TooManyKeys = 24 => "PGP_UMD_STATUS_TOO_MANY_KEYS",
        TooManyUserIds = 25 => "PGP_UMD_STATUS_TOO_MANY_USER_IDS",
        TooManySignatures = 26 => "PGP_UMD_STATUS_TOO_MANY_SIGNATURES",
        TooManySubpackets = 27 => "PGP_UMD_STATUS_TOO_MANY_SUBPACKETS",
        /// The handler failed for a reason of its own.
        InternalError = 28 => "PGP_UMD_STATUS_INTERNAL_ERROR",
    }
}

impl Status {
    /// The name used in test manifests and messages: the C name without its prefix.
    pub fn name(self) -> &'static str {
        self.c_name()
            .strip_prefix("PGP_UMD_STATUS_")
            .unwrap_or(self.c_name())
    }
}

closed_enum! {
    /// What a packet is in the certificate (packet table `role`).
    pub enum PacketRole: u8 as PACKET_ROLES {
        PrimaryKey = 1 => "PGP_UMD_ROLE_PRIMARY_KEY",
        Subkey = 2 => "PGP_UMD_ROLE_SUBKEY",
        UserId = 3 => "PGP_UMD_ROLE_USER_ID",
        UserAttribute = 4 => "PGP_UMD_ROLE_USER_ATTRIBUTE",
        Signature = 5 => "PGP_UMD_ROLE_SIGNATURE",
        /// Marker, trust and padding packets: carry nothing the kernel uses.
        Ignored = 6 => "PGP_UMD_ROLE_IGNORED",
        /// A run of consecutive packets that decide nothing (see
        /// [`crate::skip`]): tag, header length and format 0, item NONE,
        /// target the last mapped component; the kernel walks its framing.
        Skipped = 7 => "PGP_UMD_ROLE_SKIPPED",
    }
}

closed_enum! {
    /// What a signature binds, from its type and the component it follows.
    pub enum SigRole: u8 as SIG_ROLES {
        /// A signature over data (the parse-signature op): types 0x00, 0x01 and others.
        Data = 1 => "PGP_UMD_SIG_DATA",
        /// 0x1F after the primary key.
        DirectKey = 2 => "PGP_UMD_SIG_DIRECT_KEY",
        /// 0x20 after the primary key.
        KeyRevocation = 3 => "PGP_UMD_SIG_KEY_REVOCATION",
        /// 0x10..=0x13 after a user id or user attribute.
        Certification = 4 => "PGP_UMD_SIG_CERTIFICATION",
        /// 0x30 after a user id or user attribute.
        CertRevocation = 5 => "PGP_UMD_SIG_CERT_REVOCATION",
        /// 0x18 after a subkey.
        SubkeyBinding = 6 => "PGP_UMD_SIG_SUBKEY_BINDING",
        /// 0x28 after a subkey.
        SubkeyRevocation = 7 => "PGP_UMD_SIG_SUBKEY_REVOCATION",
        /// 0x19 embedded in a subkey binding: the subkey's back-signature.
        PrimaryKeyBinding = 8 => "PGP_UMD_SIG_PRIMARY_KEY_BINDING",
        /// Any other type or position; the kernel gives it no effect.
        Other = 9 => "PGP_UMD_SIG_OTHER",
    }
}

closed_enum! {
    /// How a key or signature field is encoded (its range covers the whole encoding).
    pub enum FieldKind: u8 as FIELD_KINDS {
        /// Two-octet bit count, then the big-endian value.
        Mpi = 1 => "PGP_UMD_FIELD_MPI",
        /// One length octet, then a curve OID.
        Oid = 2 => "PGP_UMD_FIELD_OID",
        /// ECDH KDF parameters: length octet 3, 0x01, hash id, cipher id.
        Kdf = 3 => "PGP_UMD_FIELD_KDF",
        /// Fixed-size native octets (X25519, Ed25519, X448, Ed448).
        Native = 4 => "PGP_UMD_FIELD_NATIVE",
        /// The rest of the material of an algorithm this parser does not know.
        Opaque = 5 => "PGP_UMD_FIELD_OPAQUE",
    }
}

closed_enum! {
    /// Elliptic curve named by a key's OID field.
    pub enum Curve: u8 as CURVES {
        /// Not an elliptic-curve key.
        None = 0 => "PGP_UMD_CURVE_NONE",
        NistP256 = 1 => "PGP_UMD_CURVE_NIST_P256",
        NistP384 = 2 => "PGP_UMD_CURVE_NIST_P384",
        NistP521 = 3 => "PGP_UMD_CURVE_NIST_P521",
        BrainpoolP256 = 4 => "PGP_UMD_CURVE_BRAINPOOL_P256",
        BrainpoolP384 = 5 => "PGP_UMD_CURVE_BRAINPOOL_P384",
        BrainpoolP512 = 6 => "PGP_UMD_CURVE_BRAINPOOL_P512",
        Ed25519Legacy = 7 => "PGP_UMD_CURVE_ED25519_LEGACY",
        Curve25519Legacy = 8 => "PGP_UMD_CURVE_CURVE25519_LEGACY",
        Secp256k1 = 9 => "PGP_UMD_CURVE_SECP256K1",
        /// An OID this parser does not know.
        Unknown = 255 => "PGP_UMD_CURVE_UNKNOWN",
    }
}

wire_structs! {
    /// A byte range of the request payload. An absent range is `{0, 0}`.
    pub struct Range as "pgp_umd_range" {
        pub off: u32,
        pub len: u32,
    }

    /// Sent by the kernel, followed by `payload_len` payload bytes.
    pub struct RequestHeader as "pgp_umd_request_header" {
        pub magic: u32,
        pub version: u16,
        /// An [`Op`].
        pub op: u16,
        /// No flags are defined; must be 0.
        pub flags: u32,
        /// Echoed in the reply.
        pub seq: u32,
        pub payload_len: u32,
        pub reserved: u32,
    }

    /// First part of every reply.
    pub struct ReplyHeader as "pgp_umd_reply_header" {
        pub magic: u32,
        pub version: u16,
        /// The request's op, echoed.
        pub op: u16,
        /// The request's sequence number, echoed.
        pub seq: u32,
        /// A [`Status`]. Unless it is OK, every count is 0.
        pub status: u32,
        /// Payload offset where parsing stopped (diagnostics only; 0 on success).
        pub error_offset: u32,
        pub packet_count: u16,
        pub key_count: u16,
        pub signature_count: u16,
        pub subpacket_count: u16,
        pub reserved: u32,
    }

    /// One packet of the payload. The rows tile the payload in order.
    pub struct Packet as "pgp_umd_packet" {
        /// Packet type id (RFC 9580 §5).
        pub tag: u8,
        /// A [`PacketRole`].
        pub role: u8,
        /// Octets of the packet header (tag octet plus length octets).
        pub header_len: u8,
        /// `FORMAT_OPENPGP` or `FORMAT_LEGACY`.
        pub format: u8,
        /// Row in `keys` (key packets) or `signatures` (signature packets), else NONE.
        pub item: u16,
        /// For signatures: packet row of the component they follow, else NONE.
        pub target: u16,
        /// Header and body.
        pub whole: Range,
    }

    /// One primary key or subkey packet.
    pub struct Key as "pgp_umd_key" {
        /// Packet row.
        pub packet: u16,
        pub version: u8,
        /// Public-key algorithm id.
        pub pk_algo: u8,
        /// A [`Curve`].
        pub curve: u8,
        pub field_count: u8,
        /// A [`FieldKind`] per field.
        pub field_kind: [u8; MAX_KEY_FIELDS],
        pub reserved: u16,
        /// The key material fields, tiling the material to the end of the body.
        pub fields: [Range; MAX_KEY_FIELDS],
    }

    /// One signature: a signature packet or an embedded signature subpacket.
    pub struct Signature as "pgp_umd_signature" {
        /// Packet row holding it (for an embedded signature, the outer packet).
        pub packet: u16,
        /// Signature row whose subpacket embeds this one, else NONE.
        pub parent: u16,
        /// Subpacket row embedding this one, else NONE.
        pub subpacket: u16,
        /// Packet row of the component it is about (primary, user id, subkey), else NONE.
        pub target: u16,
        /// A [`SigRole`].
        pub role: u8,
        pub version: u8,
        pub sig_type: u8,
        pub pk_algo: u8,
        pub hash_algo: u8,
        pub value_count: u8,
        /// A [`FieldKind`] per value.
        pub value_kind: [u8; MAX_SIG_VALUES],
        /// Slice of the subpacket table tiling `hashed_area`.
        pub hashed_first: u16,
        pub hashed_count: u16,
        /// Slice of the subpacket table tiling `unhashed_area`.
        pub unhashed_first: u16,
        pub unhashed_count: u16,
        /// The whole signature: version octet to the last value octet.
        pub body: Range,
        /// v4/v6: hashed subpacket octets (after the count). v3: the 5 hashed octets.
        pub hashed_area: Range,
        /// v4/v6: unhashed subpacket octets (after the count). v3: empty.
        pub unhashed_area: Range,
        /// The two left octets of the hash.
        pub hash_prefix: Range,
        /// v6: the salt (after its length octet). Otherwise empty.
        pub salt: Range,
        /// v3: the 8-octet issuer key id. Otherwise empty.
        pub issuer: Range,
        /// The signature values, tiling the rest of the body.
        pub values: [Range; MAX_SIG_VALUES],
    }

    /// One subpacket of a signature's hashed or unhashed area.
    pub struct Subpacket as "pgp_umd_subpacket" {
        /// Length octets, type octet and body.
        pub whole: Range,
        /// Length octets plus the type octet.
        pub header_len: u8,
        /// The type octet as found, critical bit included.
        pub type_octet: u8,
        /// For an embedded signature (type 32): its signature row, else NONE.
        pub embedded: u16,
    }

    /// The reply to PARSE_KEY ("full reply"). Only the first `*_count` rows
    /// of each table are meaningful; the rest are zero.
    pub struct Reply as "pgp_umd_reply" {
        pub header: ReplyHeader,
        pub packets: [Packet; MAX_PACKETS],
        pub keys: [Key; MAX_KEYS],
        pub signatures: [Signature; MAX_SIGNATURES],
        pub subpackets: [Subpacket; MAX_SUBPACKETS],
    }

    /// A request to verify a signature over data with a key from a keyring,
    /// written in one write() to /sys/kernel/security/pgp_umd/verify,
    /// followed by `sig_len` signature bytes (one signature packet, binary or
    /// armored) and `data_len` data bytes. Not part of the UMD channel.
    pub struct VerifyRequest as "pgp_umd_verify_request" {
        pub magic: u32,
        pub version: u32,
        /// Serial of the keyring to search (special ids such as -4 for @u allowed).
        pub keyring: i32,
        /// No flags are defined; must be 0.
        pub flags: u32,
        pub sig_len: u32,
        pub data_len: u32,
    }

    /// The reply to every other op ("short reply"): PARSE_SIGNATURE, HEALTH,
    /// and refusals of ops the handler does not know. The same tables, cut to
    /// what one signature packet can need; no key table.
    pub struct ShortReply as "pgp_umd_short_reply" {
        pub header: ReplyHeader,
        pub packets: [Packet; 1],
        pub signatures: [Signature; SHORT_MAX_SIGNATURES],
        pub subpackets: [Subpacket; SHORT_MAX_SUBPACKETS],
    }
}

/// Size on the wire of the reply that starts with header `h`: for PARSE_KEY
/// the packed size its counts give ([`packed_size`]; `None` when a count
/// exceeds its table), for every other op the short reply's fixed size.
pub fn reply_wire_size(h: &ReplyHeader) -> Option<usize> {
    if h.op == Op::ParseKey.raw() {
        packed_size(h)
    } else {
        Some(SHORT_REPLY_SIZE)
    }
}

/// Size of a reply header on the wire: what the kernel reads first of a
/// packed reply.
pub const REPLY_HEADER_SIZE: usize = core::mem::size_of::<ReplyHeader>();

/// Size on the wire of a packed reply (the reply to PARSE_KEY) with the
/// counts of `h`: the header, then exactly `packet_count` packet rows,
/// `key_count` key rows, `signature_count` signature rows and
/// `subpacket_count` subpacket rows. `None` when a count exceeds its table,
/// which the kernel refuses before reading further.
pub fn packed_size(h: &ReplyHeader) -> Option<usize> {
    let rows = [
        (h.packet_count, MAX_PACKETS, core::mem::size_of::<Packet>()),
        (h.key_count, MAX_KEYS, core::mem::size_of::<Key>()),
        (
            h.signature_count,
            MAX_SIGNATURES,
            core::mem::size_of::<Signature>(),
        ),
        (
            h.subpacket_count,
            MAX_SUBPACKETS,
            core::mem::size_of::<Subpacket>(),
        ),
    ];
    rows.iter()
        .try_fold(REPLY_HEADER_SIZE, |size, &(count, max, row)| {
            let count = usize::from(count);
            (count <= max).then_some(size + count * row)
        })
}

/// Size of a short reply on the wire.
pub const SHORT_REPLY_SIZE: usize = core::mem::size_of::<ShortReply>();

impl ShortReply {
    /// Resets every byte to zero.
    pub fn clear(&mut self) {
        zerocopy::FromZeros::zero(self);
    }

    /// The short form of `full`, or `None` if its rows do not fit (a full
    /// reply with keys, or more rows than the short tables hold).
    pub fn from_full(full: &Reply) -> Option<ShortReply> {
        let h = full.header;
        let (p, s, sp) = (
            usize::from(h.packet_count),
            usize::from(h.signature_count),
            usize::from(h.subpacket_count),
        );
        if h.key_count != 0 || p > 1 || s > SHORT_MAX_SIGNATURES || sp > SHORT_MAX_SUBPACKETS {
            return None;
        }
        let mut short: ShortReply = zerocopy::FromZeros::new_zeroed();
        short.header = h;
        short.packets[..p].copy_from_slice(&full.packets[..p]);
        short.signatures[..s].copy_from_slice(&full.signatures[..s]);
        short.subpackets[..sp].copy_from_slice(&full.subpackets[..sp]);
        Some(short)
    }

    /// Expands into `full`, the form the validator checks. `None` when the
    /// counts claim more rows than the short tables have, or any key.
    pub fn expand_into(&self, full: &mut Reply) -> Option<()> {
        let h = self.header;
        let (p, s, sp) = (
            usize::from(h.packet_count),
            usize::from(h.signature_count),
            usize::from(h.subpacket_count),
        );
        if h.key_count != 0 || p > 1 || s > SHORT_MAX_SIGNATURES || sp > SHORT_MAX_SUBPACKETS {
            return None;
        }
        full.clear();
        full.header = h;
        full.packets[..1].copy_from_slice(&self.packets);
        full.signatures[..SHORT_MAX_SIGNATURES].copy_from_slice(&self.signatures);
        full.subpackets[..SHORT_MAX_SUBPACKETS].copy_from_slice(&self.subpackets);
        Some(())
    }
}

/// Size of a request header on the wire.
pub const REQUEST_HEADER_SIZE: usize = core::mem::size_of::<RequestHeader>();
/// Size of a reply on the wire.
pub const REPLY_SIZE: usize = core::mem::size_of::<Reply>();

impl Range {
    /// The canonical absent range.
    pub const EMPTY: Range = Range { off: 0, len: 0 };

    /// A range from `start` to `end` (exclusive). Payload offsets fit in u32
    /// because payloads are at most [`MAX_PAYLOAD`] bytes.
    pub fn span(start: usize, end: usize) -> Range {
        debug_assert!(start <= end && end <= MAX_PAYLOAD as usize);
        Range {
            off: start as u32,
            len: (end - start) as u32,
        }
    }

    /// One past the last byte, widened so it cannot overflow.
    pub fn end(self) -> u64 {
        u64::from(self.off) + u64::from(self.len)
    }

    /// The bytes of `payload` this range names, or `None` when out of bounds.
    pub fn slice(self, payload: &[u8]) -> Option<&[u8]> {
        let start = usize::try_from(self.off).ok()?;
        let end = usize::try_from(self.end()).ok()?;
        payload.get(start..end)
    }
}

impl Reply {
    /// A reply with every byte zero.
    pub fn zeroed() -> Self {
        zerocopy::FromZeros::new_zeroed()
    }

    /// Resets every byte to zero, keeping the allocation.
    pub fn clear(&mut self) {
        zerocopy::FromZeros::zero(self);
    }

    /// The status, if it is one this protocol defines.
    pub fn status(&self) -> Option<Status> {
        Status::from_raw(self.header.status)
    }

    /// The meaningful rows of the packet table (clamped to the table size).
    pub fn packets(&self) -> &[Packet] {
        &self.packets[..usize::from(self.header.packet_count).min(MAX_PACKETS)]
    }

    /// The meaningful rows of the key table.
    pub fn keys(&self) -> &[Key] {
        &self.keys[..usize::from(self.header.key_count).min(MAX_KEYS)]
    }

    /// The meaningful rows of the signature table.
    pub fn signatures(&self) -> &[Signature] {
        &self.signatures[..usize::from(self.header.signature_count).min(MAX_SIGNATURES)]
    }

    /// The meaningful rows of the subpacket table.
    pub fn subpackets(&self) -> &[Subpacket] {
        &self.subpackets[..usize::from(self.header.subpacket_count).min(MAX_SUBPACKETS)]
    }

    /// Writes the packed form (see [`packed_size`]) at the start of `out`
    /// and returns its length, or `None` when a count exceeds its table
    /// (nothing is written).
    pub fn write_packed(&self, out: &mut [u8; REPLY_SIZE]) -> Option<usize> {
        let size = packed_size(&self.header)?;
        let parts: [&[u8]; 5] = [
            self.header.as_bytes(),
            self.packets().as_bytes(),
            self.keys().as_bytes(),
            self.signatures().as_bytes(),
            self.subpackets().as_bytes(),
        ];
        let mut at = 0;
        for part in parts {
            out[at..at + part.len()].copy_from_slice(part);
            at += part.len();
        }
        Some(size)
    }

    /// Reads a packed reply into `self`, zeroing every row it does not
    /// carry. `None` when a count exceeds its table or `bytes` is not
    /// exactly the size the header gives (`self` is then unspecified).
    pub fn read_packed(&mut self, bytes: &[u8]) -> Option<()> {
        let (header, mut rest) = ReplyHeader::read_from_prefix(bytes).ok()?;
        if packed_size(&header)? != bytes.len() {
            return None;
        }
        self.clear();
        self.header = header;
        let counts = [
            header.packet_count,
            header.key_count,
            header.signature_count,
            header.subpacket_count,
        ]
        .map(usize::from);
        let tables: [&mut [u8]; 4] = [
            self.packets[..counts[0]].as_mut_bytes(),
            self.keys[..counts[1]].as_mut_bytes(),
            self.signatures[..counts[2]].as_mut_bytes(),
            self.subpackets[..counts[3]].as_mut_bytes(),
        ];
        for table in tables {
            let (rows, tail) = rest.split_at(table.len());
            table.copy_from_slice(rows);
            rest = tail;
        }
        Some(())
    }
}

impl RequestHeader {
    /// A well-formed header for `op` carrying `payload_len` bytes.
    pub fn new(op: Op, seq: u32, payload_len: u32) -> Self {
        RequestHeader {
            magic: MAGIC,
            version: VERSION,
            op: op.raw(),
            flags: 0,
            seq,
            payload_len,
            reserved: 0,
        }
    }
}

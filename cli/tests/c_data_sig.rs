//! Signatures over data through the kernel's pure C path (short-reply
//! expansion and check, signature load, policy, issuer lookup through the
//! certificate policy, hash plan with text canonicalization, prefix, value
//! encoding), with OpenSSL as the crypto backend, under ASan and UBSan.
//!
//! Every detached signature of the corpus (v3, v4, v6; binary and text; every
//! hash) is checked over the signed data and over the data with one bit
//! flipped, on a 6.12-like and a 6.1-like policy. Expected verdicts come from
//! gpg (`sigs/manifest.tsv`: GOODSIG, EXPKEYSIG, REVKEYSIG, BADSIG) and from
//! sequoia's report for v3 and v6, combined with the documented policy.

mod common;

use common::policy::*;
use common::{
    assert_verdicts, build_c_program, now, parse_colons, read_file as read, reply_for,
    run_c_driver, testdata, CHECKING_SOURCES,
};
use libc::EBADMSG;
use pgp_umd_proto::{Op, ShortReply};
use zerocopy::IntoBytes;

struct Case {
    name: String,
    kernel: Kernel,
    allow_sha1: bool,
    data: Vec<u8>,
    sig: Vec<u8>,
    cert: Vec<u8>,
    want: Result<String, i32>,
}

fn run(cases: &[Case]) -> Vec<String> {
    let sources = [
        CHECKING_SOURCES,
        &["user/ossl_ops.c", "user/sig_check_main.c"],
    ]
    .concat();
    let driver = build_c_program("sig-check", &sources, &["-lcrypto"]);
    let mut input = Vec::new();
    for c in cases {
        let sig_reply = reply_for(Op::ParseSignature, 1, &c.sig);
        let short = ShortReply::from_full(&sig_reply).expect("short form");
        let cert_reply = reply_for(Op::ParseKey, 1, &c.cert);
        input.extend_from_slice(&now().to_ne_bytes());
        input.extend_from_slice(&c.kernel.min_rsa_bits.to_ne_bytes());
        input.extend_from_slice(&c.kernel.curves.to_ne_bytes());
        input.push(u8::from(c.allow_sha1));
        for (bytes, reply) in [(&c.data, None), (&c.sig, Some(short.as_bytes()))] {
            input.extend_from_slice(&(bytes.len() as u32).to_ne_bytes());
            input.extend_from_slice(bytes);
            if let Some(r) = reply {
                input.extend_from_slice(r);
            }
        }
        input.extend_from_slice(&(c.cert.len() as u32).to_ne_bytes());
        input.extend_from_slice(&c.cert);
        input.extend_from_slice(cert_reply.as_bytes());
    }
    run_c_driver(&driver, &input)
}

fn verdict(line: &str) -> Result<String, i32> {
    let mut w = line.split_whitespace();
    match (w.next(), w.next()) {
        (Some("good"), Some(fpr)) => Ok(fpr.to_owned()),
        (Some("err"), Some(e)) => Err(-e.parse::<i32>().expect("errno")),
        _ => Err(-1),
    }
}

#[test]
fn every_corpus_signature_verifies_as_the_tools_say() {
    let data = read(&testdata("sigs/data.txt"));
    let flipped = read(&testdata("sigs/data-flipped.txt"));
    let mut cases = Vec::new();
    for (name, sig_path, hash, signer, cert, facts) in corpus_signatures() {
        let sig = read(&sig_path);
        for kernel in [KERNEL_6_12, KERNEL_6_1] {
            let allows: &[bool] = if hash == HASH_SHA1 {
                &[false, true]
            } else {
                &[false]
            };
            for &allow_sha1 in allows {
                for (label, d, is_flipped) in [("data", &data, false), ("flipped", &flipped, true)]
                {
                    cases.push(Case {
                        name: format!("{name} [{}] sha1={allow_sha1} {label}", kernel.name),
                        kernel,
                        allow_sha1,
                        data: d.clone(),
                        sig: sig.clone(),
                        cert: cert.clone(),
                        want: want(hash, &facts, &signer, kernel, allow_sha1, is_flipped),
                    });
                }
            }
        }
    }
    let got = run(&cases);
    assert_verdicts(
        cases.iter().map(|c| (c.name.as_str(), &c.want)),
        &got,
        verdict,
    );
    let good = got.iter().filter(|l| l.starts_with("good")).count();
    assert!(
        good >= 40 && cases.len() >= 200,
        "{good} good of {}",
        cases.len()
    );
}

/// Text signatures hash the data with LF turned into CR LF: the same text
/// with CR LF line ends verifies too, a binary signature over it does not.
#[test]
fn text_signatures_use_canonical_line_ends() {
    let data = read(&testdata("sigs/data.txt"));
    let crlf: Vec<u8> = String::from_utf8(data.clone())
        .expect("text")
        .replace('\n', "\r\n")
        .into_bytes();
    assert_ne!(crlf, data);
    let cert = read(&testdata("keys/rsa2048.pgp"));
    let facts = from_colons(
        &parse_colons(&std::fs::read_to_string(testdata("keys/rsa2048.colons")).expect("colons"))
            [0],
    );
    let case = |name: &str, sig: &str, data: &[u8], want| Case {
        name: name.into(),
        kernel: KERNEL_6_12,
        allow_sha1: false,
        data: data.to_vec(),
        sig: read(&testdata("sigs").join(sig)),
        cert: cert.clone(),
        want,
    };
    let cases = [
        case(
            "text over LF",
            "rsa2048-sha256-text.sig",
            &data,
            Ok(facts[0].fpr.clone()),
        ),
        case(
            "text over CRLF",
            "rsa2048-sha256-text.sig",
            &crlf,
            Ok(facts[0].fpr.clone()),
        ),
        case(
            "binary over CRLF",
            "rsa2048-sha256-bin.sig",
            &crlf,
            Err(EKEYREJECTED),
        ),
    ];
    let got = run(&cases);
    for (c, line) in cases.iter().zip(&got) {
        assert_eq!(verdict(line), c.want, "{}: {line}", c.name);
    }
}

/// An OpenPGP packet (RFC 9580 4.2, OpenPGP format) of `tag` around `body`.
fn packet(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut p = vec![0xC0 | tag];
    let n = body.len();
    if n < 192 {
        p.push(n as u8);
    } else {
        let m = n - 192;
        p.extend_from_slice(&[(m >> 8) as u8 + 192, m as u8]);
    }
    p.extend_from_slice(body);
    p
}

/// v4 EdDSALegacy signatures carry R and S as MPIs, which lose leading zero
/// octets (about one signature in 128 has one shorter than 32 octets): the
/// kernel left-pads them; a value longer than 32 octets is malformed.
/// Sequoia makes the key and the signatures and says which verify.
#[test]
fn eddsa_legacy_values_are_left_padded() {
    use openpgp::cert::prelude::*;
    use openpgp::crypto::mpi;
    use openpgp::packet::signature::SignatureBuilder;
    use openpgp::parse::Parse;
    use openpgp::serialize::MarshalInto;
    use openpgp::types::{KeyFlags, SignatureType};
    use sequoia_openpgp as openpgp;

    let data = read(&testdata("sigs/data.txt"));
    let (cert, _) = CertBuilder::new()
        .set_cipher_suite(CipherSuite::Cv25519)
        .set_primary_key_flags(KeyFlags::empty().set_certification().set_signing())
        .add_userid("<eddsa@test.pgp-umd.invalid>")
        .generate()
        .expect("generate");
    let primary = cert.primary_key().key().clone();
    let fpr = primary.fingerprint().to_hex();
    let mut signer = primary
        .clone()
        .parts_into_secret()
        .expect("secret")
        .into_keypair()
        .expect("keypair");
    let cert_bytes = cert.to_vec().expect("cert");
    // The first signature with a short R and the first with a short S.
    let mut short: [Option<openpgp::packet::Signature>; 2] = [None, None];
    for i in 0..20_000u32 {
        if short.iter().all(Option::is_some) {
            break;
        }
        let sig = SignatureBuilder::new(SignatureType::Binary)
            .set_notation("n@pgp-umd.invalid", i.to_string(), None, false)
            .expect("notation")
            .sign_message(&mut signer, &data)
            .expect("sign");
        let mpi::Signature::EdDSA { r, s } = sig.mpis().clone() else {
            panic!("not EdDSA");
        };
        for (slot, v) in short.iter_mut().zip([r, s]) {
            if slot.is_none() && v.value().len() < 32 {
                sig.verify_message(&primary, &data)
                    .expect("sequoia verifies it");
                *slot = Some(sig.clone());
            }
        }
    }
    let [Some(short_r), Some(short_s)] = short else {
        panic!("no signature with a short R or S in 20000");
    };
    let bytes = |sig: &openpgp::packet::Signature| packet(2, &sig.to_vec().expect("sig"));
    // short_s with its S MPI made 33 octets: 0x01, then S padded to 32.
    let mpi::Signature::EdDSA { s: s_value, .. } = short_s.mpis() else {
        panic!("not EdDSA");
    };
    let v = s_value.value();
    let mut long_body = short_s.to_vec().expect("sig");
    long_body.truncate(long_body.len() - 2 - v.len());
    long_body.extend_from_slice(&[0x01, 0x08, 0x01]);
    long_body.extend(std::iter::repeat_n(0u8, 32 - v.len()));
    long_body.extend_from_slice(v);
    let long_s = packet(2, &long_body);
    // Sequoia keeps it as an unknown packet, or fails to verify it.
    let sequoia_refuses = match openpgp::Packet::from_bytes(&long_s[..]) {
        Ok(openpgp::Packet::Signature(sig)) => sig.verify_message(&primary, &data).is_err(),
        _ => true,
    };
    assert!(sequoia_refuses, "sequoia refuses a 33-octet S");
    let case = |name: &str, sig: Vec<u8>, d: &[u8], want| Case {
        name: name.into(),
        kernel: KERNEL_6_1,
        allow_sha1: false,
        data: d.to_vec(),
        sig,
        cert: cert_bytes.clone(),
        want,
    };
    let flipped = read(&testdata("sigs/data-flipped.txt"));
    let cases = [
        case("short R", bytes(&short_r), &data, Ok(fpr.clone())),
        case("short S", bytes(&short_s), &data, Ok(fpr.clone())),
        case(
            "short R, flipped data",
            bytes(&short_r),
            &flipped,
            Err(EKEYREJECTED),
        ),
        case(
            "short S, flipped data",
            bytes(&short_s),
            &flipped,
            Err(EKEYREJECTED),
        ),
        case("S of 33 octets", long_s, &data, Err(EBADMSG)),
    ];
    let got = run(&cases);
    for (c, line) in cases.iter().zip(&got) {
        assert_eq!(verdict(line), c.want, "{}: {line}", c.name);
    }
}

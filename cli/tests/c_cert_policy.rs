//! The kernel's certificate policy (kmod/pgp/pgp_cert.c), built for user
//! space with OpenSSL doing the hashing and signature checks, under
//! AddressSanitizer and UBSan.
//!
//! Expected outcomes come from the tools that made the keys: gpg's colon
//! listing (validity, capabilities, algorithm, size, curve) for gpg-made keys
//! and sequoia's report for v6 keys. Then certificates are tampered with the
//! ways an attacker would (a foreign subkey appended, a forged back-signature
//! or binding, an altered self-signature) and the affected key must be
//! refused.

mod common;

use common::policy::*;
use common::{
    assert_verdicts, build_c_program, now, parse_colons, reply_for, run_c_driver, run_c_driver_env,
    testdata, CHECKING_SOURCES,
};
use pgp_umd_cli::inspect::split_certificates;
use pgp_umd_proto::{Op, Reply, SigRole};
use serde_json::Value;
use zerocopy::IntoBytes;

struct Case {
    name: String,
    kernel: Kernel,
    selector: String,
    payload: Vec<u8>,
    want: Result<String, i32>,
}

fn driver() -> std::path::PathBuf {
    let sources = [
        CHECKING_SOURCES,
        &["user/ossl_ops.c", "user/cert_check_main.c"],
    ]
    .concat();
    build_c_program("cert-check", &sources, &["-lcrypto"])
}

/// Runs every case through the C driver; returns the lines it printed.
fn run(cases: &[Case]) -> Vec<String> {
    run_c_driver(&driver(), &input_of(cases))
}

/// The driver's input for `cases`.
fn input_of(cases: &[Case]) -> Vec<u8> {
    let mut input = Vec::new();
    for c in cases {
        let reply = reply_for(Op::ParseKey, 5, &c.payload);
        push_record(&mut input, c.kernel, &c.selector, &c.payload, &reply);
    }
    input
}

/// One record of the driver's input (kmod/pgp/user/cert_check_main.c).
fn push_record(input: &mut Vec<u8>, kernel: Kernel, selector: &str, payload: &[u8], reply: &Reply) {
    input.extend_from_slice(&now().to_ne_bytes());
    input.extend_from_slice(&kernel.min_rsa_bits.to_ne_bytes());
    // SHA-1 self-signatures before 2019-01-01 accepted (the documented default).
    input.extend_from_slice(&1_546_300_800u64.to_ne_bytes());
    input.extend_from_slice(&kernel.curves.to_ne_bytes());
    input.extend_from_slice(&(selector.len() as u16).to_ne_bytes());
    input.extend_from_slice(selector.as_bytes());
    input.extend_from_slice(&(payload.len() as u32).to_ne_bytes());
    input.extend_from_slice(payload);
    input.extend_from_slice(reply.as_bytes());
}

fn verdict(line: &str) -> Result<String, i32> {
    let mut w = line.split_whitespace();
    match (w.next(), w.next()) {
        (Some("ok"), Some(fpr)) => Ok(fpr.to_owned()),
        (Some("err"), Some(e)) => Err(-e.parse::<i32>().expect("errno")),
        _ => Err(-1),
    }
}

/// Cases for one certificate: no selector, then each key by fingerprint and
/// by key id, then a selector that names no key.
fn cases_for(name: &str, payload: &[u8], keys: &[Facts], out: &mut Vec<Case>) {
    for kernel in [KERNEL_6_12, KERNEL_6_1] {
        let mut push = |label: String, selector: String, want| {
            out.push(Case {
                name: format!("{name} [{}] {label}", kernel.name),
                kernel,
                selector,
                payload: payload.to_vec(),
                want,
            })
        };
        push("auto".into(), String::new(), expected(keys, kernel, None));
        for (i, k) in keys.iter().enumerate() {
            let want = expected(keys, kernel, Some(i));
            push(
                format!("fpr {}", k.fpr),
                format!("pgp:{}", k.fpr),
                want.clone(),
            );
            push(
                format!("keyid {}", k.key_id),
                format!("pgp:{}", k.key_id.to_lowercase()),
                want,
            );
        }
        push(
            "unknown id".into(),
            "pgp:0123456789ABCDEF".into(),
            Err(ENOKEY),
        );
    }
}

#[test]
fn policy_selects_what_the_tools_say_is_valid() {
    let mut cases = Vec::new();
    // skip/: certificates whose extra packets travel as skipped runs; the
    // files gpg cannot read (no .colons) are compared with sequoia in
    // tests/skipped_runs.rs.
    let skipped = pgp_files("skip")
        .into_iter()
        .filter(|p| p.with_extension("colons").exists());
    // collision/: two certificates with one key id (odd 33-bit exponents).
    for path in pgp_files("keys")
        .into_iter()
        .chain(skipped)
        .chain(pgp_files("collision"))
    {
        let colons = std::fs::read_to_string(path.with_extension("colons")).expect("colons");
        let data = std::fs::read(&path).expect("read");
        let certs = split_certificates(&data).expect("split");
        let expected_certs = parse_colons(&colons);
        assert_eq!(certs.len(), expected_certs.len(), "{}", path.display());
        for (cert, facts) in certs.iter().zip(&expected_certs) {
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            cases_for(&name, cert, &from_colons(facts), &mut cases);
        }
    }
    for path in pgp_files("v6") {
        let json: Value =
            serde_json::from_slice(&std::fs::read(path.with_extension("json")).expect("json"))
                .expect("parse json");
        let data = std::fs::read(&path).expect("read");
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        cases_for(&name, &data, &from_sequoia(&json), &mut cases);
    }
    let got = run(&cases);
    assert_verdicts(
        cases.iter().map(|c| (c.name.as_str(), &c.want)),
        &got,
        verdict,
    );
    let accepted = got.iter().filter(|l| l.starts_with("ok")).count();
    assert!(
        accepted > 50 && cases.len() > 300,
        "{accepted} accepted of {}",
        cases.len()
    );
}

/// Packet byte ranges of a certificate, from the parser's reply.
fn packets(payload: &[u8]) -> Vec<std::ops::Range<usize>> {
    let reply = reply_for(Op::ParseKey, 1, payload);
    reply
        .packets()
        .iter()
        .map(|p| p.whole.off as usize..(p.whole.off + p.whole.len) as usize)
        .collect()
}

/// Flips a bit in the middle of the given signature value: the MPI stays
/// well formed, the signature no longer verifies.
fn forge_value(payload: &mut [u8], role: SigRole) {
    let reply = reply_for(Op::ParseKey, 1, payload);
    let sig = reply
        .signatures()
        .iter()
        .find(|s| s.role == role.raw())
        .expect("signature with that role");
    let v = sig.values[0];
    payload[(v.off + v.len / 2) as usize] ^= 0x10;
}

fn keys_of(file: &str) -> Vec<Facts> {
    let colons = std::fs::read_to_string(testdata("keys").join(file).with_extension("colons"))
        .expect("colons");
    from_colons(&parse_colons(&colons)[0])
}

#[test]
fn tampered_certificates_lose_the_tampered_key() {
    let signsub = std::fs::read(testdata("keys/rsa-certonly-signsub.pgp")).expect("read");
    let facts = keys_of("rsa-certonly-signsub.pgp");
    let signing = facts[1].fpr.clone();
    let other = std::fs::read(testdata("keys/rsa2048.pgp")).expect("read");
    let other_facts = keys_of("rsa2048.pgp");
    let mut cases = Vec::new();
    let mut case = |name: &str, selector: String, payload: Vec<u8>, want| {
        cases.push(Case {
            name: name.into(),
            kernel: KERNEL_6_12,
            selector,
            payload,
            want,
        })
    };

    // The untouched certificate: its signing subkey is chosen.
    case(
        "original",
        String::new(),
        signsub.clone(),
        Ok(signing.clone()),
    );

    // A foreign subkey with its own (foreign) binding appended: refused,
    // and the certificate's own signing subkey is still the one chosen.
    let p = packets(&other);
    let tail = &other[p[p.len() - 2].start..];
    let grafted = [signsub.as_slice(), tail].concat();
    let foreign = other_facts[1].fpr.clone();
    case(
        "foreign subkey",
        format!("pgp:{foreign}"),
        grafted.clone(),
        Err(EKEYREJECTED),
    );
    case(
        "foreign subkey, auto",
        String::new(),
        grafted,
        Ok(signing.clone()),
    );

    // The foreign primary key re-labelled as a subkey of this certificate,
    // followed by this certificate's real binding signature.
    let p_own = packets(&signsub);
    let own_binding = &signsub[p_own[4].clone()];
    let mut relabelled = other[p[0].clone()].to_vec();
    relabelled[0] = 0xB9; // legacy tag 14 (public subkey), 2-octet length
    let swapped = [signsub.as_slice(), &relabelled, own_binding].concat();
    case(
        "own binding after a foreign subkey",
        format!("pgp:{}", other_facts[0].fpr),
        swapped,
        Err(EKEYREJECTED),
    );

    // A forged back-signature: the signing subkey is refused, and the
    // certify-only primary leaves nothing to sign with.
    let mut forged = signsub.clone();
    forge_value(&mut forged, SigRole::PrimaryKeyBinding);
    case(
        "forged back-signature",
        String::new(),
        forged.clone(),
        Err(EKEYREJECTED),
    );
    case(
        "forged back-signature, selected",
        format!("pgp:{signing}"),
        forged,
        Err(EKEYREJECTED),
    );

    // A forged binding signature.
    let mut forged = signsub.clone();
    forge_value(&mut forged, SigRole::SubkeyBinding);
    case(
        "forged binding",
        format!("pgp:{signing}"),
        forged,
        Err(EKEYREJECTED),
    );

    // A forged self-signature on a key that signs with its primary.
    let mut forged = other.clone();
    forge_value(&mut forged, SigRole::Certification);
    case(
        "forged self-signature",
        String::new(),
        forged,
        Err(EKEYREJECTED),
    );

    // An altered key-flags octet in the hashed area breaks the self-signature.
    let mut altered = other.clone();
    let reply = reply_for(Op::ParseKey, 1, &altered);
    let sp = reply
        .subpackets()
        .iter()
        .find(|s| s.type_octet & 0x7F == 27)
        .expect("key flags subpacket");
    altered[(sp.whole.off + u32::from(sp.header_len)) as usize] ^= 0x02;
    case(
        "altered key flags",
        String::new(),
        altered,
        Err(EKEYREJECTED),
    );

    // Keys below the RSA size policy are refused as a whole.
    cases.push(Case {
        name: "rsa2048 under a 3072-bit minimum".into(),
        kernel: Kernel {
            min_rsa_bits: 3072,
            ..KERNEL_6_12
        },
        selector: String::new(),
        payload: other.clone(),
        want: Err(EKEYREJECTED),
    });
    // A malformed selector is refused before anything else.
    cases.push(Case {
        name: "bad selector".into(),
        kernel: KERNEL_6_12,
        selector: "fingerprint".into(),
        payload: other,
        want: Err(22),
    });

    let got = run(&cases);
    assert_eq!(got.len(), cases.len());
    for (c, line) in cases.iter().zip(&got) {
        assert_eq!(verdict(line), c.want, "{}: {line}", c.name);
    }
}

/// Rows of a committed tab-separated file, header and comment lines skipped.
fn tsv(rel: &str) -> Vec<Vec<String>> {
    std::fs::read_to_string(testdata(rel))
        .expect("read tsv")
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

/// testdata/tampered/: gpg's verdicts (expected.tsv, from make-tampered.sh)
/// against the kernel's policy code on both kernels' settings.
#[test]
fn tampered_corpus_as_gpg_says() {
    let mut cases = Vec::new();
    for row in tsv("tampered/expected.tsv") {
        let [file, sel, want] = row.as_slice() else {
            panic!("bad row {row:?}");
        };
        let payload = std::fs::read(testdata("tampered").join(file)).expect("read");
        let want = match want.split_once(' ') {
            Some(("ok", fpr)) => Ok(fpr.to_owned()),
            _ if want == "EKEYREJECTED" => Err(EKEYREJECTED),
            _ => panic!("unknown expectation {want}"),
        };
        for kernel in [KERNEL_6_12, KERNEL_6_1] {
            cases.push(Case {
                name: format!("{file} [{}] {sel}", kernel.name),
                kernel,
                selector: if sel == "-" {
                    String::new()
                } else {
                    sel.clone()
                },
                payload: payload.clone(),
                want: want.clone(),
            });
        }
    }
    assert!(cases.len() >= 80, "{} cases", cases.len());
    let got = run(&cases);
    assert_eq!(got.len(), cases.len());
    for (c, line) in cases.iter().zip(&got) {
        assert_eq!(verdict(line), c.want, "{}: {line}", c.name);
    }
}

/// The committed tampered files still carry their tampering, by sequoia's
/// judgement: the tampered key is a valid signing key of the certificate it
/// came from and not of the tampered one, whose other signing keys stay valid.
#[test]
fn tampered_corpus_keeps_its_tampering() {
    use sequoia_openpgp::parse::Parse;
    use sequoia_openpgp::policy::StandardPolicy;
    use sequoia_openpgp::Cert;

    let policy = StandardPolicy::new();
    let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_722_513_600); // 2024-08-01
    let signing = |file: &str| -> Vec<String> {
        let cert = Cert::from_file(testdata("tampered").join(file)).expect("cert");
        let vc = cert.with_policy(&policy, when).expect("valid primary");
        vc.keys()
            .for_signing()
            .map(|k| k.key().fingerprint().to_hex())
            .collect()
    };
    let donor = signing("donor.pgp");
    let rows = tsv("tampered/manifest.tsv");
    assert_eq!(rows.len(), 9);
    for row in rows {
        let (file, base, tampered) = (&row[0], &row[1], &row[2]);
        let before = signing(base);
        assert!(
            before.contains(tampered) || donor.contains(tampered),
            "{file}: {tampered} is a valid signing key neither of {base} nor of the donor"
        );
        let now = signing(file);
        assert!(!now.contains(tampered), "{file}: {tampered} still valid");
        for k in before {
            if &k != tampered {
                assert!(now.contains(&k), "{file}: {k} of {base} lost");
            }
        }
    }
}

/// testdata/policy: certificates whose self-signatures disagree about the
/// primary key's expiry and capabilities, a binding signature that
/// expires, an appended bogus back-signature, a SHA3 revocation and a
/// version 3 self-signature. The kernel must take the stricter of gpg's
/// and sequoia's verdicts; where it refuses for a documented reason of its
/// own (a revocation it cannot evaluate), `kernel-notes.tsv` names the errno.
#[test]
fn shaped_certificates_get_the_stricter_verdict_of_gpg_and_sequoia() {
    let mut cases = Vec::new();
    let mut ends = Vec::new();
    let certs = policy_certificates();
    assert!(certs.len() >= 9, "{} certificates", certs.len());
    for (path, payload, facts, sequoia) in &certs {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let note = kernel_note(&name);
        let first = cases.len();
        cases_for(&name, payload, facts, &mut cases);
        for c in &mut cases[first..] {
            c.want = with_note(c.want.clone(), note.as_deref());
            if let Ok(fpr) = &c.want {
                let end = [
                    sequoia_end(sequoia, &facts[0].fpr),
                    sequoia_end(sequoia, fpr),
                ]
                .into_iter()
                .filter(|&e| e != 0)
                .min()
                .unwrap_or(0);
                ends.push((c.name.clone(), end));
            }
        }
    }
    let got = run(&cases);
    assert_eq!(got.len(), cases.len());
    let mut wrong: Vec<String> = cases
        .iter()
        .zip(&got)
        .filter(|(c, line)| verdict(line) != c.want)
        .map(|(c, line)| format!("{}: want {:?}, got {line}", c.name, c.want))
        .collect();
    for (c, line) in cases.iter().zip(&got) {
        let Some((_, end)) = ends.iter().find(|(n, _)| *n == c.name) else {
            continue;
        };
        let printed: Option<u64> = line.split_whitespace().nth(2).and_then(|e| e.parse().ok());
        if printed != Some(*end) {
            wrong.push(format!("{}: expiry want {end}, got {line}", c.name));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// A failure while hashing or verifying (an allocation in the kernel's
/// crypto calls, failslab's target) at any point of the selection never
/// makes the kernel accept more: every case gives its fault-free verdict,
/// an error, or (without a selector) another key that is valid on its own.
/// Every revoked certificate and every refusal stays refused.
#[test]
fn a_failure_at_any_crypto_call_never_accepts_more() {
    let mut cases = Vec::new();
    for (path, payload, facts, _) in policy_certificates() {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        cases_for(&name, &payload, &facts, &mut cases);
    }
    for name in [
        "rsa2048-revoked",
        "rsa2048-revoked-subkey",
        "rsa-certonly-signsub",
    ] {
        let payload = std::fs::read(testdata("keys").join(format!("{name}.pgp"))).expect("read");
        cases_for(name, &payload, &keys_of(&format!("{name}.pgp")), &mut cases);
    }
    let driver = driver();
    let input = input_of(&cases);
    let split = |line: &str| -> (String, u64) {
        let (verdict, calls) = line.rsplit_once(" calls ").expect("calls suffix");
        (verdict.to_owned(), calls.parse().expect("count"))
    };
    // CERT_CHECK_FAIL_AT=0 counts without failing: the fault-free run.
    let clean: Vec<(String, u64)> =
        run_c_driver_env(&driver, &input, &[("CERT_CHECK_FAIL_AT", "0".into())])
            .iter()
            .map(|l| split(l))
            .collect();
    assert_eq!(clean.len(), cases.len());
    let accepted_alone: Vec<String> = clean
        .iter()
        .zip(&cases)
        .filter(|((v, _), c)| !c.selector.is_empty() && v.starts_with("ok "))
        .map(|((v, _), _)| v.split_whitespace().nth(1).unwrap_or_default().to_owned())
        .collect();
    let most = clean.iter().map(|(_, n)| *n).max().unwrap_or(0);
    assert!(most >= 3, "at most {most} crypto calls per case");
    let mut wrong = Vec::new();
    let mut faults = 0;
    let mut refused_for_the_fault = 0;
    for at in 1..=most {
        let got = run_c_driver_env(&driver, &input, &[("CERT_CHECK_FAIL_AT", at.to_string())]);
        for ((line, (want, calls)), c) in got.iter().zip(&clean).zip(&cases) {
            if at > *calls {
                continue;
            }
            faults += 1;
            let (v, _) = split(line);
            if v == "err -12" {
                refused_for_the_fault += 1;
            }
            let fpr = v.split_whitespace().nth(1).unwrap_or_default().to_owned();
            let fine = v == *want
                || v.starts_with("err ")
                || (c.selector.is_empty() && v.starts_with("ok ") && accepted_alone.contains(&fpr));
            if !fine || (want.starts_with("err ") && v.starts_with("ok ")) {
                wrong.push(format!("{} fail at {at}: clean {want}, faulty {v}", c.name));
            }
        }
    }
    let _ = std::fs::remove_file(&driver);
    assert!(faults > 100, "{faults} faults injected");
    // The faults take effect: a decisive signature that failed is reported.
    assert!(
        refused_for_the_fault > 20,
        "{refused_for_the_fault} of {faults} faults gave -ENOMEM"
    );
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// The lie the reply sanitizer cannot see: a handler that skips the primary
/// key's own certifications as third-party ones, with every row consistent.
/// The certificate policy refuses it with -EBADMSG once it knows the
/// primary key's fingerprint (`pgp_cert_check_skipped()`), before any
/// selection: so the lie can neither hide a newer self-signature nor a
/// revocation of a user id.
#[test]
fn a_skipped_signature_by_the_primary_key_is_refused() {
    use pgp_umd_test_handlers::lies::{tell, SKIPPED_SELF_SIGNATURE_LIE};
    let mut input = Vec::new();
    let mut told = 0;
    for path in pgp_files("keys").into_iter().chain(pgp_files("skip")) {
        let payload = std::fs::read(&path).expect("read");
        if split_certificates(&payload).map_or(0, |c| c.len()) != 1 {
            continue;
        }
        let honest = reply_for(Op::ParseKey, 5, &payload);
        let mut lying = honest.clone();
        tell(SKIPPED_SELF_SIGNATURE_LIE as u32, &payload, &mut lying);
        if lying.header.packet_count == honest.header.packet_count {
            continue; // nothing to hide here: the lie fell back to another
        }
        push_record(&mut input, KERNEL_6_12, "", &payload, &lying);
        told += 1;
    }
    assert!(told >= 10, "the lie was told to {told} certificates");
    let lines = run_c_driver(&driver(), &input);
    assert_eq!(lines.len(), told);
    assert!(lines.iter().all(|l| l == "err -74"), "{lines:?}");
}

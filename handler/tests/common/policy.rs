//! The kernel's documented key-selection rule, evaluated on facts from the
//! tools that made the keys (gpg's colon listing, sequoia's report): the
//! expectation the C policy tests compare against.

use super::ColonCert;
use serde_json::Value;

// Linux errno values the policy returns (negated).
pub const ENOPKG: i32 = 65;
pub const ENOKEY: i32 = 126;
pub const EKEYEXPIRED: i32 = 127;
pub const EKEYREVOKED: i32 = 128;
pub const EKEYREJECTED: i32 = 129;

pub const CURVE_P256: u32 = 1 << 1;
pub const CURVE_P384: u32 = 1 << 2;
pub const CURVE_P521: u32 = 1 << 3;

/// What a kernel can verify: Debian 6.12 has ECDSA, 6.1 does not.
#[derive(Clone, Copy, Debug)]
pub struct Kernel {
    pub name: &'static str,
    pub curves: u32,
    pub min_rsa_bits: u32,
}

pub const KERNEL_6_12: Kernel = Kernel {
    name: "6.12",
    curves: CURVE_P256 | CURVE_P384 | CURVE_P521,
    min_rsa_bits: 2048,
};
pub const KERNEL_6_1: Kernel = Kernel {
    name: "6.1",
    curves: 0,
    min_rsa_bits: 2048,
};

/// One key's facts as an independent tool reports them.
#[derive(Clone, Debug)]
pub struct Facts {
    pub fpr: String,
    pub key_id: String,
    pub validity: char,
    pub caps: String,
    pub algo: u64,
    pub bits: u64,
    pub curve: Option<String>,
    pub created: u64,
}

pub fn from_colons(cert: &ColonCert) -> Vec<Facts> {
    cert.keys
        .iter()
        .map(|k| Facts {
            fpr: k.fingerprint.clone(),
            key_id: k.key_id.clone(),
            validity: k.validity,
            caps: k.caps.clone(),
            algo: k.algorithm,
            bits: k.bits,
            curve: k.curve.clone(),
            created: k.created,
        })
        .collect()
}

pub fn from_sequoia(json: &Value) -> Vec<Facts> {
    let one = |k: &Value| {
        let caps = k["capabilities"].as_array().cloned().unwrap_or_default();
        let letter = |name: &str, l: char| caps.iter().any(|c| c == name).then_some(l);
        Facts {
            fpr: k["fingerprint"].as_str().unwrap_or_default().into(),
            key_id: k["key_id"].as_str().unwrap_or_default().into(),
            validity: '-',
            caps: [
                letter("certify", 'c'),
                letter("sign", 's'),
                letter("encrypt", 'e'),
            ]
            .into_iter()
            .flatten()
            .collect(),
            algo: k["algorithm"].as_u64().unwrap_or_default(),
            bits: k["bits"].as_u64().unwrap_or_default(),
            curve: k["curve"].as_str().map(|c| match c {
                "NIST P-256" => "nistp256".into(),
                "NIST P-384" => "nistp384".into(),
                other => other.to_lowercase(),
            }),
            created: k["created"].as_u64().unwrap_or_default(),
        }
    };
    let mut keys = vec![one(&json["primary"])];
    keys.extend(json["subkeys"].as_array().into_iter().flatten().map(one));
    keys
}

/// Whether a kernel can verify with this key: the policy's algorithm rule.
pub fn algorithm(k: &Facts, kernel: Kernel) -> Result<(), i32> {
    match (k.algo, k.curve.as_deref()) {
        (1 | 3, _) if k.bits >= u64::from(kernel.min_rsa_bits) => Ok(()),
        (1 | 3, _) => Err(EKEYREJECTED),
        (19, Some("nistp256")) if kernel.curves & CURVE_P256 != 0 => Ok(()),
        (19, Some("nistp384")) if kernel.curves & CURVE_P384 != 0 => Ok(()),
        (19, Some("nistp521")) if kernel.curves & CURVE_P521 != 0 => Ok(()),
        _ => Err(ENOPKG),
    }
}

/// Refusal reasons ranked as the policy ranks them when several keys fail.
pub fn worse(a: i32, b: i32) -> i32 {
    let rank = |e| {
        [EKEYREJECTED, ENOPKG, EKEYEXPIRED, EKEYREVOKED]
            .iter()
            .position(|&x| x == e)
    };
    if rank(a) >= rank(b) {
        a
    } else {
        b
    }
}

pub fn subkey_usable(k: &Facts, kernel: Kernel) -> Result<(), i32> {
    match k.validity {
        'r' => Err(EKEYREVOKED),
        'e' => Err(EKEYEXPIRED),
        _ if !k.caps.contains('s') => Err(EKEYREJECTED),
        _ => algorithm(k, kernel),
    }
}

/// The documented selection rule, evaluated on the tool's facts.
pub fn expected(keys: &[Facts], kernel: Kernel, selector: Option<usize>) -> Result<String, i32> {
    let primary = &keys[0];
    algorithm(primary, kernel)?;
    match primary.validity {
        'r' => return Err(EKEYREVOKED),
        'e' => return Err(EKEYEXPIRED),
        _ => {}
    }
    let primary_signs = primary.caps.contains('s');
    match selector {
        Some(0) => {
            return if primary_signs {
                Ok(primary.fpr.clone())
            } else {
                Err(EKEYREJECTED)
            }
        }
        None if primary_signs => return Ok(primary.fpr.clone()),
        _ => {}
    }
    let mut why = EKEYREJECTED;
    let mut best: Option<&Facts> = None;
    for (i, k) in keys.iter().enumerate().skip(1) {
        if selector.is_some_and(|s| s != i) {
            continue;
        }
        match subkey_usable(k, kernel) {
            Err(e) => why = worse(why, e),
            Ok(()) if best.is_none_or(|b| k.created >= b.created) => best = Some(k),
            Ok(()) => {}
        }
    }
    best.map(|k| k.fpr.clone()).ok_or(why)
}

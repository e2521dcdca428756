//! Proves `kmod/include/pgp_umd_proto.h` identical in layout to the Rust
//! definitions: every struct's size and alignment, every field's offset and
//! size, every constant's value; and that the header declares nothing the
//! Rust side does not know.

use pgp_umd_proto::{ALL_CONSTANTS, STRUCTS};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn header_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../kmod/include")
}

/// The lines the C program must print, generated from the Rust tables.
fn expected_lines() -> Vec<String> {
    let mut lines = Vec::new();
    for s in STRUCTS {
        lines.push(format!("struct {} {} {}", s.c_name, s.size, s.align));
        for f in s.fields {
            lines.push(format!(
                "field {} {} {} {}",
                s.c_name, f.name, f.offset, f.size
            ));
        }
    }
    for table in ALL_CONSTANTS {
        for c in *table {
            lines.push(format!("const {} {}", c.c_name, c.value));
        }
    }
    lines
}

/// A C program printing the same lines as computed by the C compiler.
fn c_program() -> String {
    let mut c = String::from(
        "#include <stdio.h>\n#include <stddef.h>\n#include \"pgp_umd_proto.h\"\n\
         #define FIELD(s, f) printf(\"field %s %s %zu %zu\\n\", #s, #f, \
         offsetof(struct s, f), sizeof(((struct s *)0)->f))\n\
         int main(void)\n{\n",
    );
    for s in STRUCTS {
        let _ = writeln!(
            c,
            "\tprintf(\"struct {0} %zu %zu\\n\", sizeof(struct {0}), _Alignof(struct {0}));",
            s.c_name
        );
        for f in s.fields {
            let _ = writeln!(c, "\tFIELD({}, {});", s.c_name, f.name);
        }
    }
    for table in ALL_CONSTANTS {
        for k in *table {
            let _ = writeln!(
                c,
                "\tprintf(\"const {0} %llu\\n\", (unsigned long long)({0}));",
                k.c_name
            );
        }
    }
    c.push_str("\treturn 0;\n}\n");
    c
}

#[test]
fn c_header_matches_rust_layout() {
    let dir = std::env::temp_dir().join(format!("pgp-umd-layout-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let src = dir.join("layout.c");
    let exe = dir.join("layout");
    std::fs::write(&src, c_program()).expect("write C program");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    // -Wpadded: the C compiler must agree that no struct has implicit padding.
    let status = Command::new(&cc)
        .args(["-std=c11", "-Wall", "-Wextra", "-Wpadded", "-Werror", "-o"])
        .arg(&exe)
        .arg("-I")
        .arg(header_dir())
        .arg(&src)
        .status()
        .expect("run the C compiler");
    assert!(status.success(), "C layout program failed to compile");
    let out = Command::new(&exe).output().expect("run layout program");
    assert!(out.status.success());
    let got = String::from_utf8(out.stdout).expect("utf-8");
    let got: Vec<&str> = got.lines().collect();
    let want = expected_lines();
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w, "C and Rust disagree");
    }
    assert_eq!(got.len(), want.len());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every name the header defines (`#define PGP_…`, enumerators, struct tags)
/// must exist on the Rust side, so C cannot grow on its own.
#[test]
fn c_header_declares_nothing_unknown_to_rust() {
    let text = std::fs::read_to_string(header_dir().join("pgp_umd_proto.h")).expect("header");
    let consts: Vec<&str> = ALL_CONSTANTS
        .iter()
        .flat_map(|t| t.iter().map(|c| c.c_name))
        .collect();
    let structs: Vec<&str> = STRUCTS.iter().map(|s| s.c_name).collect();
    for line in text.lines() {
        let t = line.trim();
        let name = if let Some(rest) = t.strip_prefix("#define ") {
            rest.split_whitespace().next()
        } else if t.starts_with("PGP_") && t.contains('=') {
            t.split(|c: char| c.is_whitespace() || c == '=').next()
        } else {
            None
        };
        if let Some(name) = name.filter(|n| *n != "_PGP_UMD_PROTO_H") {
            assert!(consts.contains(&name), "{name} is in the C header only");
        }
        if let Some(rest) = t.strip_prefix("struct ").filter(|r| r.ends_with('{')) {
            let tag = rest.trim_end_matches('{').trim();
            assert!(
                structs.contains(&tag),
                "struct {tag} is in the C header only"
            );
        }
    }
}

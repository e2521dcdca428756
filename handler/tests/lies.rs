//! Every lie of the test-only lying handler is caught by the reply
//! validator (the rules the kernel applies), on every corpus input: so the
//! VM test that runs the lying handler can expect every request to fail.

mod common;

use common::{negative_corpus, reply_for, valid_corpus};
use pgp_umd_handler::lies::{tell, LIES};
use pgp_umd_proto::validate::validate_reply;

#[test]
fn every_lie_is_rejected_on_every_input() {
    let mut cases = valid_corpus();
    cases.extend(negative_corpus());
    let mut told = vec![0usize; LIES.len()];
    for (path, op) in cases {
        let payload = std::fs::read(&path).expect("read");
        for seq in 0..LIES.len() as u32 {
            let mut reply = reply_for(op, seq, &payload);
            let lie = tell(seq, &mut reply);
            let index = LIES.iter().position(|l| *l == lie).expect("a listed lie");
            told[index] += 1;
            assert!(
                validate_reply(op, seq, &payload, &reply).is_err(),
                "{}: lie '{lie}' accepted",
                path.display()
            );
        }
    }
    assert!(
        told.iter().all(|&n| n > 50),
        "some lie was hardly told: {told:?}"
    );
}

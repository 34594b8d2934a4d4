//! The order intake (`POST /api/orders`) with arbitrary bytes: JSON, then every
//! field's rule, exactly as the handler runs it before anything is stored. An
//! accepted order, posted again as the JSON it serializes to, must be the same
//! order (the intake is what makes a replay idempotent).
#![no_main]

use libfuzzer_sys::fuzz_target;
use setup_now::model::orders::{IntakeError, OrderInput};

fuzz_target!(|data: &[u8]| {
    match OrderInput::intake(data) {
        Ok(order) => {
            let again = serde_json::to_vec(&order).expect("an order serializes");
            assert_eq!(OrderInput::intake(&again), Ok(order));
        }
        Err(IntakeError::Invalid(errors)) => assert!(!errors.is_empty()),
        Err(IntakeError::NotJson(reason)) => assert!(!reason.is_empty()),
    }
});

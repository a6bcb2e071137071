//! The probe state machine, phase by phase, on scenarios: each lists the requests the machine
//! must make and the answers it gets, then checks the report. No network, no clock.
#![cfg(not(target_arch = "wasm32"))]

mod auth;
mod catalog;
mod cors;
mod diagnosis;
mod limits;
mod ping;
mod scenario;
mod tags;
mod verdict;

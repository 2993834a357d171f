//! Exit codes scripts can tell apart.

pub const OK: u8 = 0;
/// The platform refused the command (error envelope printed).
pub const REJECTED: u8 = 1;
/// Bad config, flags or credentials source.
pub const USAGE: u8 = 2;
/// The platform refused the credentials or their permission.
pub const AUTH: u8 = 3;
/// The platform could not be reached or answered nonsense.
pub const NETWORK: u8 = 4;
/// The command was carried out, but its audit line or hold-ledger entry could not be
/// written: the record of it is incomplete.
pub const NOT_RECORDED: u8 = 5;

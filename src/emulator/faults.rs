//! Fault injection (placeholder).

#[derive(Debug, Clone, Default)]
pub struct FaultPlan {}

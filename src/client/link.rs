//! The seam between a state source (the sync engine today; a message bus can be another)
//! and whoever consumes it (the dashboard loop, `watch`, `snapshot`): store inputs and
//! connection changes in, fetch requests and platform commands out.

use std::sync::Arc;

use tokio::sync::{mpsc, Notify};
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::audit::AuditTarget;
use super::connection::ConnectionState;
use super::session::Session;
use crate::command::Command;
use crate::store::{CommandId, Input};
use crate::voipbin::ResourceKind;

/// What a source (or the command executor) tells its consumer.
#[derive(Debug, Clone, PartialEq)]
pub enum Inbound {
    /// Boxed: a snapshot input is large, the other variants small.
    Input(Box<Input>),
    Connection(ConnectionState),
    /// Who we are on the platform, once the source has learned it (an access key needs
    /// a request, which may have to wait for the platform).
    Session(Session),
    /// A local write (audit trail, hold ledger) failed: the user must see it.
    WriteFailed(String),
}

impl From<Input> for Inbound {
    fn from(input: Input) -> Inbound {
        Inbound::Input(Box::new(input))
    }
}

/// One thing the store is missing, and the conference it matters to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Wanted {
    pub kind: ResourceKind,
    pub id: Uuid,
    pub conference: Option<Uuid>,
}

/// What a consumer asks of its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceRequest {
    /// Resources the store reports missing.
    Want(Vec<Wanted>),
    /// The conference on screen: its fetches go first.
    Focus(Option<Uuid>),
}

/// A platform command for the executor. The store already shows it pending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandRequest {
    pub id: CommandId,
    pub command: Command,
    /// Every id the console knows the command touches, for the audit trail.
    pub about: AuditTarget,
}

/// A running source: where to send requests; its tasks stop when it is dropped.
#[derive(Debug)]
pub struct Source {
    requests: mpsc::UnboundedSender<SourceRequest>,
    tasks: Vec<JoinHandle<()>>,
    /// Wakes a connection waiting out its backoff (the user asked to retry now).
    retry: Arc<Notify>,
}

impl Source {
    pub fn new(requests: mpsc::UnboundedSender<SourceRequest>, tasks: Vec<JoinHandle<()>>) -> Self {
        Source {
            requests,
            tasks,
            retry: Arc::default(),
        }
    }

    /// With the signal its connection task waits on between attempts.
    pub fn with_retry(mut self, retry: Arc<Notify>) -> Self {
        self.retry = retry;
        self
    }

    /// Cuts the wait before the next connection attempt short.
    pub fn retry_now(&self) {
        self.retry.notify_one();
    }

    pub fn want(&self, wanted: Vec<Wanted>) {
        if !wanted.is_empty() {
            let _ = self.requests.send(SourceRequest::Want(wanted));
        }
    }

    pub fn focus(&self, conference: Option<Uuid>) {
        let _ = self.requests.send(SourceRequest::Focus(conference));
    }
}

impl Drop for Source {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Everything the dashboard loop talks to: inputs in, commands out, the source to steer.
#[derive(Debug)]
pub struct Link {
    pub inbound: mpsc::Receiver<Inbound>,
    /// `None` for a source that cannot carry commands.
    pub commands: Option<mpsc::Sender<CommandRequest>>,
    pub source: Source,
}

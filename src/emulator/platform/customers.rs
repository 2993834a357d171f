//! Customers and their access keys (PROTOCOL.md §1.6, §1.9).

use uuid::Uuid;

use super::error::{PlatformError, PlatformResult, ResourceType};
use super::world::{AccessKeyRec, World};
use crate::voipbin::time::Timestamp;
use crate::voipbin::{Customer, CustomerStatus};

impl World {
    /// Creates an active customer with one access key; returns (customer id, key).
    pub fn add_customer(&mut self, name: &str) -> (Uuid, String) {
        let id = self.ids.uuid();
        let now = self.stamp(id);
        self.customers.insert(
            id,
            Customer {
                id,
                name: name.to_owned(),
                status: Some(CustomerStatus::Active),
                tm_create: Some(now),
                ..Customer::default()
            },
        );
        let key = self.add_access_key(id, None);
        (id, key)
    }

    /// A new `vb_…` key acting as CustomerAdmin of `customer_id`.
    pub fn add_access_key(&mut self, customer_id: Uuid, tm_expire: Option<Timestamp>) -> String {
        let key = format!("vb_{}", self.ids.alnum(40));
        self.access_keys.insert(
            key.clone(),
            AccessKeyRec {
                customer_id,
                tm_expire,
            },
        );
        key
    }

    /// The customer a key belongs to, if the key is known and not expired.
    pub fn access_key_customer(&self, key: &str) -> Option<Uuid> {
        let rec = self.access_keys.get(key)?;
        let now = self.clock.now();
        match rec.tm_expire {
            Some(expire) if expire <= now => None,
            _ => Some(rec.customer_id),
        }
    }

    pub fn customer(&self, id: Uuid) -> PlatformResult<Customer> {
        self.customers
            .get(&id)
            .cloned()
            .ok_or(PlatformError::NotFound(ResourceType::Customer))
    }
}

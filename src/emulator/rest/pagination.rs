//! List pagination (PROTOCOL.md §2.1): newest first, `tm_create < page_token`, and a
//! non-empty `next_page_token` whenever the page has items.

use crate::emulator::api_error::ApiError;
use crate::voipbin::time::{self, Timestamp};
use crate::voipbin::ListPage;

use super::extract::{invalid_request_parameter, Params};

pub(super) struct PageQuery {
    pub size: usize,
    pub before: Option<Timestamp>,
}

impl PageQuery {
    pub(super) fn from_params(params: &Params) -> Result<Self, ApiError> {
        let size = match params.get("page_size").filter(|s| !s.is_empty()) {
            None => 100,
            Some(text) => match text.parse::<i64>() {
                Ok(n) if (1..=100).contains(&n) => n as usize,
                Ok(_) => 100,
                Err(_) => return Err(invalid_request_parameter()),
            },
        };
        let before = match params.get("page_token").filter(|s| !s.is_empty()) {
            None => None,
            Some(text) => time::parse(text).map_err(|_| invalid_request_parameter())?,
        };
        Ok(PageQuery { size, before })
    }
}

/// One page of `items` (any order in), by `tm_create` descending.
pub(super) fn paginate<T>(
    mut items: Vec<T>,
    tm_create: impl Fn(&T) -> Option<Timestamp>,
    query: &PageQuery,
) -> ListPage<T> {
    items.retain(|item| match (query.before, tm_create(item)) {
        (Some(before), Some(t)) => t < before,
        (Some(_), None) => false,
        (None, _) => true,
    });
    items.sort_by_key(|item| std::cmp::Reverse(tm_create(item)));
    items.truncate(query.size);
    let next_page_token = items
        .last()
        .and_then(&tm_create)
        .map(|t| time::format_page_token(&t))
        .unwrap_or_default();
    ListPage {
        result: items,
        next_page_token,
    }
}

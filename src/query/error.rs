//! The error of every search and every read of the index: a user's mistake (named with the
//! parameter, value or syntax at fault, and the closest known values) or a failure, each with
//! its code from the table of [`crate::errors`] and a hint of what to do.

use crate::errors::ErrorCode;
use crate::query::language;

/// A user's mistake or a failure, with what to do about it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SearchError {
    #[error("query syntax: {0}")]
    Syntax(language::SyntaxError),
    #[error("unknown {field} `{value}`{}", suggest(.suggestions))]
    UnknownValue {
        field: &'static str,
        value: String,
        suggestions: Vec<String>,
    },
    #[error("parameter `{param}`: {message}")]
    BadParam {
        param: &'static str,
        message: String,
    },
    #[error(transparent)]
    QueryString(#[from] crate::query::request::QueryStringError),
    #[error("query `{0}` has no word to search for")]
    NoWords(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("index error: {0}")]
    Internal(String),
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(
            ": did you mean {}?",
            s.iter()
                .map(|x| format!("`{x}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

impl SearchError {
    /// The code users and scripts match on.
    pub fn code(&self) -> ErrorCode {
        match self {
            SearchError::Syntax(_) | SearchError::NoWords(_) => ErrorCode::BadQuery,
            SearchError::UnknownValue { .. } => ErrorCode::UnknownValue,
            SearchError::BadParam { .. } | SearchError::QueryString(_) => ErrorCode::BadParameter,
            SearchError::NotFound(_) => ErrorCode::NotFound,
            SearchError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// What the user could do instead.
    pub fn hint(&self) -> Option<String> {
        match self {
            SearchError::UnknownValue { field, .. }
                if crate::query::filters::facet_fields().any(|f| f == *field) =>
            {
                Some(format!(
                    "GET /api/facets (or `travaux stats`) lists the known values of {field}"
                ))
            }
            SearchError::UnknownValue { field, .. } => Some(format!(
                "the closest known values of {field} are named above"
            )),
            _ => self.code().hint().map(str::to_string),
        }
    }

    /// The error body users get everywhere.
    pub fn body(&self) -> serde_json::Value {
        self.code().body(self.to_string(), self.hint())
    }
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError::Internal(e.to_string())
    }
}

impl crate::errors::Coded for SearchError {
    fn code(&self) -> ErrorCode {
        SearchError::code(self)
    }
    fn hint(&self) -> Option<String> {
        SearchError::hint(self)
    }
}

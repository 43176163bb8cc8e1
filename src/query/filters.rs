//! The search filters, declared once. Each filter's name (the API parameter, the command-line
//! flag and the query language's inline `name:value`), the other names it answers to, the index
//! field it reads and whether its values are counted as facets are one row of [`FILTERS`]; the
//! query language, the request's empty values, the search and the facet counts all read this
//! table, and a test holds the request's fields and aliases to it.

use crate::index::schema::Fields;
use crate::query::request::SearchRequest;
use tantivy::schema::Field;

/// A filter of a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilterField {
    Speaker,
    Label,
    Agency,
    Topic,
    Kind,
    Version,
    Work,
    Doc,
    Language,
    Role,
    Cites,
}

/// One filter: what it is called and what it reads.
pub struct Filter {
    pub field: FilterField,
    /// The name users write and the API parameter.
    pub name: &'static str,
    /// Other names accepted wherever the name is.
    pub aliases: &'static [&'static str],
    /// Its values are counted as a facet of every search.
    pub facet: bool,
    /// The index field that holds its values.
    pub index: fn(&Fields) -> Field,
}

/// Every filter, in the order facets and errors list them.
pub const FILTERS: [Filter; 11] = [
    Filter {
        field: FilterField::Speaker,
        name: "speaker",
        aliases: &[],
        facet: true,
        index: |f| f.speaker,
    },
    Filter {
        field: FilterField::Label,
        name: "label",
        aliases: &["speaker_label"],
        facet: false,
        index: |f| f.speaker_label,
    },
    Filter {
        field: FilterField::Agency,
        name: "agency",
        aliases: &[],
        facet: true,
        index: |f| f.agency,
    },
    Filter {
        field: FilterField::Topic,
        name: "topic",
        aliases: &[],
        facet: true,
        index: |f| f.topic,
    },
    Filter {
        field: FilterField::Kind,
        name: "kind",
        aliases: &[],
        facet: true,
        index: |f| f.kind,
    },
    Filter {
        field: FilterField::Version,
        name: "version",
        aliases: &[],
        facet: true,
        index: |f| f.version,
    },
    Filter {
        field: FilterField::Work,
        name: "work",
        aliases: &[],
        facet: false,
        index: |f| f.work,
    },
    Filter {
        field: FilterField::Doc,
        name: "doc",
        aliases: &["document"],
        facet: false,
        index: |f| f.doc_id,
    },
    Filter {
        field: FilterField::Language,
        name: "language",
        aliases: &["lang"],
        facet: true,
        index: |f| f.language,
    },
    Filter {
        field: FilterField::Role,
        name: "role",
        aliases: &[],
        facet: false,
        index: |f| f.role,
    },
    Filter {
        field: FilterField::Cites,
        name: "cites",
        aliases: &["cited"],
        facet: true,
        index: |f| f.cites,
    },
];

impl FilterField {
    /// Every filter, in the table's order.
    pub const ALL: [FilterField; 11] = {
        let mut all = [FilterField::Speaker; 11];
        let mut i = 0;
        while i < FILTERS.len() {
            all[i] = FILTERS[i].field;
            i += 1;
        }
        all
    };

    /// The filter's row of [`FILTERS`].
    pub fn filter(self) -> &'static Filter {
        FILTERS
            .iter()
            .find(|f| f.field == self)
            .expect("every filter has a row")
    }

    /// The name users write (`agency:` …) and the API parameter.
    pub fn name(self) -> &'static str {
        self.filter().name
    }

    /// The index field that holds its values.
    pub fn index_field(self, fields: &Fields) -> Field {
        (self.filter().index)(fields)
    }

    /// The filter a name or alias names, in any case.
    pub fn parse(s: &str) -> Option<FilterField> {
        let s = s.to_ascii_lowercase();
        FILTERS
            .iter()
            .find(|f| f.name == s || f.aliases.contains(&s.as_str()))
            .map(|f| f.field)
    }
}

/// The fields counted as facets of a search.
pub fn facet_fields() -> impl Iterator<Item = &'static str> {
    FILTERS.iter().filter(|f| f.facet).map(|f| f.name)
}

impl SearchRequest {
    /// The values a request gives one filter.
    pub fn values(&self, f: FilterField) -> &[String] {
        match f {
            FilterField::Speaker => &self.speaker,
            FilterField::Label => &self.label,
            FilterField::Agency => &self.agency,
            FilterField::Topic => &self.topic,
            FilterField::Kind => &self.kind,
            FilterField::Version => &self.version,
            FilterField::Work => &self.work,
            FilterField::Doc => &self.doc,
            FilterField::Language => &self.language,
            FilterField::Role => &self.role,
            FilterField::Cites => &self.cites,
        }
    }

    /// The same, to change.
    pub fn values_mut(&mut self, f: FilterField) -> &mut Vec<String> {
        match f {
            FilterField::Speaker => &mut self.speaker,
            FilterField::Label => &mut self.label,
            FilterField::Agency => &mut self.agency,
            FilterField::Topic => &mut self.topic,
            FilterField::Kind => &mut self.kind,
            FilterField::Version => &mut self.version,
            FilterField::Work => &mut self.work,
            FilterField::Doc => &mut self.doc,
            FilterField::Language => &mut self.language,
            FilterField::Role => &mut self.role,
            FilterField::Cites => &mut self.cites,
        }
    }

    /// Empty values are no filter, as a form with an empty field sends them.
    pub fn drop_empty_filters(&mut self) {
        for f in FilterField::ALL {
            self.values_mut(f).retain(|v| !v.trim().is_empty());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The request's fields are the table's filters: each is read from a query string, a JSON
    /// body and the query language under its name and every alias, and a request serialises
    /// each under its name.
    #[test]
    fn the_request_and_the_query_language_follow_the_table() {
        for f in &FILTERS {
            for name in std::iter::once(&f.name).chain(f.aliases) {
                let r = SearchRequest::from_query_string(&format!("{name}=x")).unwrap();
                assert_eq!(r.values(f.field), ["x"], "?{name}=");
                let r: SearchRequest =
                    serde_json::from_value(serde_json::json!({ *name: "x" })).unwrap();
                assert_eq!(r.values(f.field), ["x"], "{{\"{name}\": …}}");
                let parsed = crate::query::language::parse(&format!("{name}:x")).unwrap();
                assert_eq!(parsed.filters, [(f.field, "x".to_string())], "{name}:x");
            }
            let mut r = SearchRequest::default();
            r.values_mut(f.field).push("x".into());
            let v = serde_json::to_value(&r).unwrap();
            assert_eq!(v[f.name], serde_json::json!(["x"]), "{}", f.name);
            // An empty value is dropped, whichever filter it is given to.
            let r = SearchRequest::from_query_string(&format!("{}=", f.name)).unwrap();
            assert!(r.values(f.field).is_empty(), "{}=", f.name);
        }
        assert_eq!(FilterField::ALL.len(), FILTERS.len());
        for (i, f) in FILTERS.iter().enumerate() {
            assert_eq!(FilterField::ALL[i], f.field);
        }
    }
}

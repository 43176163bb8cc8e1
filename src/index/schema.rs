//! The index's fields, declared once: each field's name, type and options, the [`Fields`]
//! handles the code uses, and the schema version an index records. Adding, removing or changing
//! a field here means bumping [`SCHEMA_VERSION`]; an index of another version asks for
//! `travaux ingest --rebuild`.

use crate::text::analysis::{ANALYZER, EXACT_ANALYZER, PAIRS_ANALYZER};
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    SchemaBuilder, TextFieldIndexing, TextOptions,
};

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: u32 = 13;

/// What a field holds.
#[derive(Debug, Clone, Copy)]
enum Type {
    /// Free text, analysed into words with positions (phrases), by the `travaux` analyzer or,
    /// with a language code, by that language's.
    Text(Option<&'static str>),
    /// Free text as written: words with positions, lowercase, accents folded, no stemming.
    Exact,
    /// The pairs of words `crate::index::pairs` makes of the text as written, with positions.
    Pairs,
    /// Exact values (several per passage allowed).
    Keyword,
    /// Text kept to be shown, never searched: not indexed.
    Shown,
    U64,
    F64,
    Date,
}

/// One field's declaration.
#[derive(Debug, Clone, Copy)]
struct Spec {
    ty: Type,
    /// Returned with results.
    stored: bool,
    /// A column for sorting and facet counts.
    fast: bool,
}

const fn spec(ty: Type) -> Spec {
    Spec {
        ty,
        stored: false,
        fast: false,
    }
}
const fn text() -> Spec {
    spec(Type::Text(None))
}
const fn text_in(code: &'static str) -> Spec {
    spec(Type::Text(Some(code)))
}
const fn exact() -> Spec {
    spec(Type::Exact)
}
const fn pairs() -> Spec {
    spec(Type::Pairs)
}
const fn keyword() -> Spec {
    spec(Type::Keyword)
}
const fn shown() -> Spec {
    spec(Type::Shown).stored()
}
const fn u64() -> Spec {
    spec(Type::U64)
}
const fn f64() -> Spec {
    spec(Type::F64)
}
const fn date() -> Spec {
    spec(Type::Date)
}

impl Spec {
    const fn stored(mut self) -> Spec {
        self.stored = true;
        self
    }
    const fn fast(mut self) -> Spec {
        self.fast = true;
        self
    }

    fn add(self, sb: &mut SchemaBuilder, name: &str) -> Field {
        match self.ty {
            Type::Text(_) | Type::Exact | Type::Pairs => {
                let tokenizer = match self.ty {
                    Type::Text(Some(code)) => format!("{ANALYZER}-{code}"),
                    Type::Exact => EXACT_ANALYZER.to_string(),
                    Type::Pairs => PAIRS_ANALYZER.to_string(),
                    _ => ANALYZER.to_string(),
                };
                let indexing = TextFieldIndexing::default()
                    .set_tokenizer(&tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions);
                let mut o = TextOptions::default().set_indexing_options(indexing);
                if self.stored {
                    o = o.set_stored();
                }
                sb.add_text_field(name, o)
            }
            Type::Keyword => {
                let indexing = TextFieldIndexing::default()
                    .set_tokenizer("raw")
                    .set_index_option(IndexRecordOption::Basic)
                    .set_fieldnorms(false);
                let mut o = TextOptions::default().set_indexing_options(indexing);
                if self.stored {
                    o = o.set_stored();
                }
                if self.fast {
                    o = o.set_fast("raw");
                }
                sb.add_text_field(name, o)
            }
            Type::Shown => {
                let mut o = TextOptions::default();
                if self.stored {
                    o = o.set_stored();
                }
                sb.add_text_field(name, o)
            }
            Type::U64 | Type::F64 => {
                let mut o = NumericOptions::default().set_indexed();
                if self.stored {
                    o = o.set_stored();
                }
                if self.fast {
                    o = o.set_fast();
                }
                if matches!(self.ty, Type::U64) {
                    sb.add_u64_field(name, o)
                } else {
                    sb.add_f64_field(name, o)
                }
            }
            Type::Date => {
                let mut o = DateOptions::default()
                    .set_indexed()
                    .set_precision(DateTimePrecision::Seconds);
                if self.stored {
                    o = o.set_stored();
                }
                if self.fast {
                    o = o.set_fast();
                }
                sb.add_date_field(name, o)
            }
        }
    }
}

/// Declares the fields: the [`Fields`] struct, the schema built from it, and the languages
/// that have a text field of their own, all from one list.
macro_rules! fields {
    ($($(#[doc = $doc:literal])* $name:ident: $spec:expr,)*) => {
        /// Every field of the index, by name.
        #[derive(Debug, Clone, Copy)]
        pub struct Fields {
            $($(#[doc = $doc])* pub $name: Field,)*
        }

        const SPECS: &[(&str, Spec)] = &[$((stringify!($name), $spec),)*];

        /// The tantivy schema and the handles of its fields.
        pub fn schema() -> (Schema, Fields) {
            let mut sb = Schema::builder();
            let fields = Fields {
                $($name: $spec.add(&mut sb, stringify!($name)),)*
            };
            (sb.build(), fields)
        }
    };
}

fields! {
    /// `<doc id>:<seq>`, unique.
    passage_id: keyword().stored(),
    doc_id: keyword().stored().fast(),
    /// SHA-256 of the source file and what decides its passages: unchanged files are skipped.
    hash: keyword().stored(),
    source: keyword().stored(),
    kind: keyword().stored().fast(),
    /// The document's title, shown with each passage (searches read the passages' text).
    title: shown(),
    symbol: keyword().stored().fast(),
    work: keyword().stored().fast(),
    /// The document's own version label.
    doc_version: keyword().stored().fast(),
    /// The document's version plus the versions the passage speaks about.
    version: keyword().stored().fast(),
    /// The order of the document's version within its work.
    version_order: u64().stored().fast(),
    date: date().stored().fast(),
    author: keyword().stored(),
    speaker: keyword().stored().fast(),
    speaker_label: keyword().stored().fast(),
    agency: keyword().stored().fast(),
    evidence: keyword().stored().fast(),
    confidence: f64().stored(),
    topic: keyword().stored().fast(),
    paragraph: keyword().stored(),
    section: keyword().stored(),
    timestamp: u64().stored(),
    line: u64().stored(),
    /// The passage's position in its document.
    seq: u64().stored().fast(),
    /// Date, document and position packed: browse and oldest-first sort.
    order: u64().fast(),
    /// The same with the date reversed: newest first, each document's passages in order.
    order_newest: u64().fast(),
    body: text().stored(),
    /// The text again as written (no stemming): exact phrases, a word's own forms first.
    body_exact: exact(),
    /// Pairs of neighbouring words of the exact text where one is a common word
    /// (`crate::index::pairs`): a quoted phrase with common words is found through them.
    pairs: pairs(),
    /// The passage with speech-recognition variants read back ("VSIS" → WSIS): searched, not
    /// shown.
    heard: text(),
    /// Members of the group the passage speaks for: an agency filter finds them.
    member: keyword().stored(),
    /// The speaker's role or office as the source states it.
    role: keyword().stored(),
    /// Language code of the passage (en, es, fr, …).
    language: keyword().stored().fast(),
    /// The text again for passages in other languages, each analysed with its language's
    /// stemmer: searched, not shown. English passages use `body` alone.
    body_es: text_in("es"),
    body_fr: text_in("fr"),
    body_pt: text_in("pt"),
    body_ru: text_in("ru"),
    body_ar: text_in("ar"),
    body_tr: text_in("tr"),
    body_de: text_in("de"),
    body_zh: text_in("zh"),
    /// The file's absolute path: finds what to remove when a file is gone; never shown.
    origin: keyword(),
    /// The markers of the footnotes a passage cites, in order.
    footnote_mark: keyword().stored(),
    /// Those footnotes' texts, in the same order: searched with the passage (a resolution a
    /// footnote names finds the paragraph that cites it).
    footnote: text().stored(),
    /// The language the speaker spoke, where the text is an interpretation.
    original_language: keyword().stored(),
    /// The documents the passage and its footnotes cite, as symbols (`A/RES/70/125`): the
    /// citation graph, both ways.
    cites: keyword().stored().fast(),
    /// For each of `cites`, in the same order: the paragraph of it named and the verb that
    /// introduces it (`25\u{1f}recalling`; either may be empty).
    cite_how: keyword().stored(),
    /// Abbreviations as written in capitals ("WHO", "ICTs" as `ICT`): a short form that is also
    /// an ordinary word ("who") is searched here, where it is written as an abbreviation.
    caps: keyword(),
    /// In text written by speech recognition, each name under its sound (`XNKT|chengetai`):
    /// names that sound alike share a prefix, for finding what recognition misheard; and `*`
    /// on every such passage.
    sound: keyword(),
    /// Fingerprints of the wording (`crate::index::fingerprint`): where `precedent` finds candidates.
    shingle: u64(),
}

/// The languages with a text field of their own, with that field's name.
pub fn language_fields() -> impl Iterator<Item = (&'static str, &'static str)> {
    SPECS.iter().filter_map(|(name, s)| match s.ty {
        Type::Text(Some(code)) => Some((code, *name)),
        _ => None,
    })
}

/// The languages [`language_fields`] names, each with its analyzer (for the index's tokenizers).
pub fn language_codes() -> impl Iterator<Item = &'static str> {
    language_fields().map(|(code, _)| code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::analysis::language_analyzer;

    #[test]
    fn every_language_field_has_a_stemmer() {
        for code in language_codes() {
            assert!(language_analyzer(code).is_some(), "no stemmer for {code}");
        }
        assert_eq!(language_codes().count(), 8);
    }

    #[test]
    fn the_schema_holds_every_declared_field() {
        let (schema, f) = schema();
        assert_eq!(schema.fields().count(), SPECS.len());
        assert_eq!(schema.get_field_name(f.body), "body");
        assert_eq!(schema.get_field_name(f.origin), "origin");
    }
}

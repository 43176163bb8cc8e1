//! Manifests: metadata for files that cannot say it themselves (submitter, date, work, version).
//! A `travaux.toml` beside the files applies to its folder and below; `--manifest FILE` names
//! one for folders the user cannot write to. Each `[[file]]` entry matches by `path`, the end
//! of a file's path (`submissions/edri.txt`) or a pattern with `*`.
//!
//! ```toml
//! [defaults]            # for every file the manifest covers
//! kind = "submission"
//!
//! [[file]]
//! path = "submissions/edri-ec-ai-inception-impact-assessment-2020.txt"
//! author = "EDRi"
//! date = "2020-09-09"
//! ```

use crate::model::{Date, Kind};
use globset::{GlobBuilder, GlobMatcher};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Metadata a manifest or the command line gives a file. Every field is optional.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    #[serde(default)]
    pub kind: Option<Kind>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub date: Option<Date>,
    #[serde(default)]
    pub symbol: Option<String>,
    #[serde(default)]
    pub work: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
    /// The entity the document speaks for, when it is not the author's name.
    #[serde(default)]
    pub agency: Option<String>,
    /// The language the document is written in (`fr`, `zh`): its passages are that language's,
    /// and the document is a language version of the others with its symbol.
    #[serde(default)]
    pub language: Option<String>,
}

impl Meta {
    /// Fills what `self` leaves open from `other`.
    pub fn or(mut self, other: &Meta) -> Meta {
        self.kind = self.kind.or(other.kind);
        self.date = self.date.or(other.date);
        for (mine, theirs) in [
            (&mut self.title, &other.title),
            (&mut self.symbol, &other.symbol),
            (&mut self.work, &other.work),
            (&mut self.version, &other.version),
            (&mut self.author, &other.author),
            (&mut self.agency, &other.agency),
            (&mut self.language, &other.language),
        ] {
            if mine.is_none() {
                mine.clone_from(theirs);
            }
        }
        self
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    path: String,
    #[serde(flatten)]
    meta: Meta,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    #[serde(default)]
    defaults: Meta,
    #[serde(default)]
    file: Vec<Entry>,
}

/// A loaded manifest and the folder it speaks for.
#[derive(Debug, Clone)]
pub struct Manifest {
    root: PathBuf,
    defaults: Meta,
    /// Each entry with the pattern its path is matched by.
    entries: Vec<(GlobMatcher, Entry)>,
    /// Named on the command line: applies wherever its entries match.
    global: bool,
}

/// A manifest that cannot be read or is not valid.
#[derive(Debug, thiserror::Error)]
#[error("manifest {path}: {message}")]
pub struct ManifestError {
    pub path: String,
    pub message: String,
}

impl crate::errors::Coded for ManifestError {
    fn code(&self) -> crate::errors::ErrorCode {
        crate::errors::ErrorCode::BadInput
    }
}

impl Manifest {
    /// Reads a manifest file.
    pub fn load(path: &Path, global: bool) -> Result<Manifest, ManifestError> {
        let text = std::fs::read_to_string(path).map_err(|e| ManifestError {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Manifest::parse(&text, path, global)
    }

    /// Reads a manifest's text; `path` is where it lives (its entries are relative to it).
    pub fn parse(text: &str, path: &Path, global: bool) -> Result<Manifest, ManifestError> {
        let file: ManifestFile = toml::from_str(text).map_err(|e| ManifestError {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let entries = file
            .file
            .into_iter()
            .map(|e| Ok((pattern(&e.path)?, e)))
            .collect::<Result<_, String>>()
            .map_err(|message| ManifestError {
                path: path.display().to_string(),
                message,
            })?;
        Ok(Manifest {
            root: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            defaults: file.defaults,
            entries,
            global,
        })
    }

    /// What this manifest says of `file`, if it covers it.
    pub fn lookup(&self, file: &Path) -> Option<Meta> {
        if !self.global && !file.starts_with(&self.root) {
            return None;
        }
        let shown = file.to_string_lossy().replace('\\', "/");
        let entry = self
            .entries
            .iter()
            .find(|(glob, _)| glob.is_match(&shown))
            .map(|(_, e)| e);
        match entry {
            Some(e) => Some(e.meta.clone().or(&self.defaults)),
            None if !self.global => Some(self.defaults.clone()),
            None => None,
        }
    }
}

/// An entry's path as a glob that matches the end of a file's path at a folder boundary
/// (`submissions/a.txt` matches `/x/corpus/submissions/a.txt`); `*` matches any run of
/// characters.
fn pattern(path: &str) -> Result<GlobMatcher, String> {
    let p = path.trim_start_matches("./").trim_start_matches('/');
    GlobBuilder::new(&format!("{{{p},**/{p}}}"))
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| format!("entry path `{path}` is not a valid pattern: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_match_path_ends_and_patterns() {
        let matches = |p: &str, path: &str| pattern(p).unwrap().is_match(path);
        assert!(matches("submissions/a.txt", "/x/corpus/submissions/a.txt"));
        assert!(!matches(
            "submissions/a.txt",
            "/x/corpus/othersubmissions/a.txt"
        ));
        assert!(matches(
            "submissions/*-2020.txt",
            "/c/submissions/edri-2020.txt"
        ));
        assert!(!matches(
            "submissions/*-2020.txt",
            "/c/submissions/edri-2021.txt"
        ));
    }

    #[test]
    fn manifest_fills_gaps_only() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("travaux.toml");
        std::fs::write(&p, "[defaults]\nkind = \"submission\"\n[[file]]\npath = \"a.txt\"\nauthor = \"EDRi\"\ndate = \"2020-09-09\"\n").unwrap();
        let m = Manifest::load(&p, false).unwrap();
        let meta = m.lookup(&dir.path().join("a.txt")).unwrap();
        assert_eq!(meta.author.as_deref(), Some("EDRi"));
        assert_eq!(meta.kind, Some(Kind::Submission));
        assert_eq!(meta.date.unwrap().to_string(), "2020-09-09");
        assert_eq!(
            m.lookup(&dir.path().join("b.txt")).unwrap().kind,
            Some(Kind::Submission)
        );
        std::fs::write(&p, "[[file]]\npath = \"a.txt\"\nauthr = \"x\"\n").unwrap();
        let e = Manifest::load(&p, false).unwrap_err();
        assert!(e.to_string().contains("authr"), "{e}");
        std::fs::write(&p, "[[file]]\npath = \"a[.txt\"\n").unwrap();
        let e = Manifest::load(&p, false).unwrap_err();
        assert!(e.to_string().contains("a[.txt"), "{e}");
    }
}

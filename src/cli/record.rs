//! What the index holds, printed: `travaux stats` (counts by kind, agency, topic…), `travaux
//! show` (a document, or a passage among its neighbours), `travaux speakers` (who spoke, by
//! evidence) and `travaux bench` (latency of a query mix).

use super::search::{clock, who};
use super::{open, Common};
use super::{BenchArgs, ShowArgs, SpeakersArgs, StatsArgs};
use anyhow::Result;
use std::io::Write;
use std::process::ExitCode;

pub(super) fn bench_cmd(a: BenchArgs, common: &Common) -> Result<ExitCode> {
    let mix = crate::cli::bench::read_mix(&a.mix)?;
    let idx = open(common)?;
    let report = crate::cli::bench::run(&idx, &mix, a.rounds.max(1));
    let mut out = std::io::stdout().lock();
    if a.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        writeln!(
            out,
            "{} passages, {} queries × {} rounds, in process",
            report.passages,
            mix.len(),
            report.rounds
        )?;
        writeln!(
            out,
            "{:<24} {:>7} {:>9} {:>9} {:>9} {:>11}",
            "class", "queries", "p50 ms", "p95 ms", "p99 ms", "mean hits"
        )?;
        for l in report.classes.iter().chain([&report.all]) {
            writeln!(
                out,
                "{:<24} {:>7} {:>9.3} {:>9.3} {:>9.3} {:>11.0}",
                l.class, l.queries, l.p50_ms, l.p95_ms, l.p99_ms, l.mean_hits
            )?;
        }
        for e in &report.errors {
            writeln!(out, "error: {e}")?;
        }
    }
    Ok(if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        super::Exit::Partial.into()
    })
}

pub(super) fn stats_cmd(a: StatsArgs, common: &Common) -> Result<ExitCode> {
    let idx = open(common)?;
    let stats = crate::query::stats::stats(&idx)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&stats)?);
    } else {
        println!("{} documents, {} passages", stats.documents, stats.passages);
        for (name, counts) in &stats.by {
            let mut v: Vec<(&String, &u64)> = counts.iter().collect();
            v.sort_by(|x, y| y.1.cmp(x.1).then(x.0.cmp(y.0)));
            println!("\n{name}:");
            for (k, c) in v.iter().take(25) {
                println!("  {c:>7}  {k}");
            }
            if v.len() > 25 {
                println!("  … and {} more", v.len() - 25);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn speakers_cmd(a: SpeakersArgs, common: &Common) -> Result<ExitCode> {
    let idx = open(common)?;
    let s = crate::query::stats::speakers(&idx, a.doc.as_deref())?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&s)?);
        return Ok(ExitCode::SUCCESS);
    }
    let evidence = |e: &std::collections::BTreeMap<String, u64>| {
        e.iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "{:>8}  {:<32} {:<28} evidence",
        "passages", "speaker", "agency"
    );
    for c in &s.speakers {
        println!(
            "{:>8}  {:<32} {:<28} {}",
            c.passages,
            c.speaker.as_deref().unwrap_or("(not named)"),
            c.agency.as_deref().unwrap_or("—"),
            evidence(&c.evidence)
        );
    }
    println!("\n{:>8}  {:<61} evidence", "passages", "agency");
    for c in &s.agencies {
        println!(
            "{:>8}  {:<61} {}",
            c.passages,
            c.agency.as_deref().unwrap_or("(none)"),
            evidence(&c.evidence)
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn show_cmd(a: ShowArgs, common: &Common) -> Result<ExitCode> {
    let idx = open(common)?;
    if a.languages {
        let c = crate::versions::languages::counterparts(&idx, &a.id)?;
        if a.json {
            println!("{}", serde_json::to_string_pretty(&c)?);
            return Ok(ExitCode::SUCCESS);
        }
        println!(
            "{} ({})",
            c.passage,
            c.language.as_deref().unwrap_or("language not told")
        );
        if c.counterparts.is_empty() {
            println!("  no other language of this document is indexed");
        }
        for l in &c.counterparts {
            if l.passages.is_empty() {
                println!("\n{} [{}]: no counterpart found", l.language, l.doc);
            }
            for p in &l.passages {
                let place = p.paragraph.clone().or(p.speaker_label.clone());
                println!(
                    "\n{} [{}]{}\n  {}",
                    l.language,
                    p.id,
                    place.map(|x| format!(" {x}")).unwrap_or_default(),
                    p.text
                );
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let shown = crate::query::stats::show(&idx, &a.id, a.context)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&shown)?);
        return Ok(ExitCode::SUCCESS);
    }
    let d = &shown.document;
    println!("{} [{}]", d.title, d.id);
    let meta: Vec<String> = [
        d.kind.map(|k| k.to_string()),
        d.symbol.clone(),
        d.version.clone(),
        d.date.map(|x| x.to_string()),
        d.work.clone().map(|w| format!("work {w}")),
        Some(d.source.clone()),
    ]
    .into_iter()
    .flatten()
    .collect();
    println!("{}\n", meta.join(" · "));
    for p in &shown.passages {
        let mark = if Some(&p.id) == shown.focus.as_ref() {
            ">"
        } else {
            " "
        };
        let mut place = Vec::new();
        if let Some(x) = &p.locator.paragraph {
            place.push(x.clone());
        }
        if let Some(t) = p.locator.timestamp {
            place.push(clock(t));
        }
        let who = who(p);
        if !who.is_empty() {
            place.push(who);
        }
        println!("{mark} [{}] {}\n  {}\n", p.id, place.join(" · "), p.text);
    }
    // A statement's references, a paragraph's statements.
    if let Some(p) = shown
        .passages
        .iter()
        .find(|p| Some(&p.id) == shown.focus.as_ref())
    {
        let links = crate::versions::references::links(&idx, p)?;
        for r in &links.refers_to {
            println!(
                "“{}” refers to {} {} paragraph {} [{}]{}",
                r.mention.written,
                r.symbol.as_deref().unwrap_or(&r.work),
                r.version.as_deref().unwrap_or(""),
                r.paragraph.as_deref().unwrap_or("(not found)"),
                r.passage.as_deref().unwrap_or("-"),
                r.note
                    .as_deref()
                    .map(|n| format!(" — {n}"))
                    .unwrap_or_default()
            );
        }
        for s in &links.statements {
            println!(
                "referred to by [{}] {} — “{}”",
                s.statement.id,
                who(&s.statement),
                s.reference.mention.written
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
